/**
 * The conformance suite every model client runs through (exported as `refinery/testing`), in the spirit of
 * langgraphjs's checkpoint-validation suite: call it from a vitest file and it declares the describe/it
 * blocks.
 *
 *   describeProviderConformance('openai', httpProviderTarget(openAiHarness, createModelClient));
 *
 * The generic groups (replies, n samples, usage and cost, budgets, aborts, typed errors) run against any
 * client through its target's script; HTTP clients also run the wire scenarios against their provider's
 * wire server with the real SDK. A group the target declares not applicable is reported as skipped, with
 * the reason in the test name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../budget/budget-tracker.ts';
import type { BudgetConfig } from '../config/pipeline-config-schema.ts';
import type { ModelRequest, TokenUsage } from '../models/model-types.ts';
import type {
  Capability,
  ConformanceSession,
  ExpectedError,
  ProviderConformanceTarget,
  ScriptedCall,
} from './provider-conformance-target.ts';
import { describeProviderWireScenarios } from './provider-wire-scenarios.ts';

export function describeProviderConformance(name: string, target: ProviderConformanceTarget): void {
  describe(`provider conformance: ${name}`, () => {
    const sessions: ConformanceSession[] = [];
    afterEach(async () => {
      await Promise.all(sessions.splice(0).map((s) => s.stop()));
    });

    async function start(script: ScriptedCall[], limits: BudgetConfig = {}) {
      const budget = new BudgetTracker(limits);
      const session = await target.start(script, { budget });
      sessions.push(session);
      return { ...session, budget };
    }

    const ask = (content: string, overrides: Partial<ModelRequest> = {}): ModelRequest => ({
      provider: target.provider,
      model: target.model,
      messages: [
        { role: 'system', content: 'You write Python.' },
        { role: 'user', content },
      ],
      params: {},
      agent: 'coder',
      recordKey: 'task-1',
      ...overrides,
    });
    const answer = (texts: string[], usage: TokenUsage = { inputTokens: 40, outputTokens: 10 }) => ({ texts, usage });
    const failed = (error: unknown) => error;

    describe('replies', () => {
      it('answers with the backend text, one finish reason per text, at least one attempt', async () => {
        const request = ask('Write f.');
        const { client, backendCalls } = await start([{ request, answer: answer(['def f(): return 1']) }]);
        const reply = await client.call(request);
        expect(reply.texts).toEqual(['def f(): return 1']);
        expect(reply.finishReasons).toHaveLength(1);
        expect(reply.finishReasons[0]).toMatch(/\S/);
        expect(reply.attempts).toBeGreaterThanOrEqual(1);
        expect(reply.model).toMatch(/\S/);
        expect(reply.costUsd).toBeGreaterThanOrEqual(0);
        expect(backendCalls()).toBe(1);
      });

      it('answers equal consecutive requests with consecutive answers, in order', async () => {
        const request = ask('Write f.');
        const { client } = await start(
          ['first', 'second', 'third'].map((text) => ({ request, answer: answer([text]) })),
        );
        const texts: string[] = [];
        for (let i = 0; i < 3; i += 1) texts.push(...(await client.call(request)).texts);
        expect(texts).toEqual(['first', 'second', 'third']);
      });

      it('answers params.n with n samples, and the next call with the samples after them', async () => {
        const three = ask('Write f.', { params: { n: 3 } });
        const one = ask('Write f.', { params: { n: 1 } });
        const { client } = await start([
          { request: three, answer: answer(['a', 'b', 'c']) },
          { request: one, answer: answer(['d']) },
        ]);
        const first = await client.call(three);
        expect(first.texts).toEqual(['a', 'b', 'c']);
        expect(first.finishReasons).toHaveLength(3);
        expect((await client.call(one)).texts).toEqual(['d']);
      });
    });

    describe('errors', () => {
      it(`fails a request the backend holds no answer for with ${target.unanswered.type.name}, never an answer`, async () => {
        const request = ask('Write f.');
        const { client } = await start([{ request, answer: answer(['only answer']) }]);
        await client.call(request);
        const error = await client.call(request).then(() => 'answered', failed);
        expectError(error, target.unanswered);
      });

      capabilityIt(
        target.capabilities.failures,
        'failures',
        'passes a backend failure to the caller under its own name, without an answer',
        async () => {
          const request = ask('Write f.');
          const { client, backendCalls } = await start([{ request, answer: { failure: { status: 400 } } }]);
          const error = await client.call(request).then(() => 'answered', failed);
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).name).toBe('ModelHttpError');
          expect(backendCalls()).toBe(1);
        },
      );
    });

    describe('usage and cost', () => {
      capabilityIt(target.capabilities.usage, 'usage', "reports the backend's token usage and prices it", async () => {
        const request = ask('Write f.');
        const usage = { inputTokens: 1200, outputTokens: 300 };
        const { client } = await start([{ request, answer: answer(['ok'], usage) }]);
        const reply = await client.call(request);
        expect(reply.usage).toEqual(usage);
        const price = target.price;
        expect(price, 'a target with the usage capability declares its price').toBeDefined();
        const cost = (usage.inputTokens * price!.inputPerMTok + usage.outputTokens * price!.outputPerMTok) / 1e6;
        expect(reply.costUsd).toBeGreaterThan(0);
        expect(reply.costUsd).toBeCloseTo(cost, 12);
      });
    });

    describe('budget', () => {
      capabilityIt(
        target.capabilities.budget,
        'budget',
        "charges each call's attempts, tokens and cost to the budget",
        async () => {
          const request = ask('Write f.');
          const { client, budget } = await start([
            { request, answer: answer(['ok'], { inputTokens: 70, outputTokens: 20 }) },
          ]);
          const reply = await client.call(request);
          const totals = budget.totals();
          expect(totals.modelCalls).toBe(reply.attempts);
          expect(totals.inputTokens).toBe(reply.usage.inputTokens);
          expect(totals.outputTokens).toBe(reply.usage.outputTokens);
          expect(totals.costUsd).toBeCloseTo(reply.costUsd, 12);
        },
      );

      capabilityIt(
        target.capabilities.budget,
        'budget',
        'checks the budget before a call: a spent calls budget stops the call before the backend',
        async () => {
          const request = ask('Write f.');
          const { client, backendCalls } = await start(
            ['one', 'two', 'three'].map((text) => ({ request, answer: answer([text]) })),
            { modelCalls: 2 },
          );
          const texts: string[] = [];
          const error = await (async () => {
            for (let i = 0; i < 3; i += 1) texts.push(...(await client.call(request)).texts);
          })().catch(failed);
          expect(texts).toEqual(['one', 'two']);
          expect(error).toBeInstanceOf(BudgetExhaustedError);
          expect(error).toMatchObject({ budget: 'calls', used: 2, limit: 2 });
          expect(backendCalls()).toBe(2);
        },
      );

      capabilityIt(
        both(target.capabilities.budget, target.capabilities.usage),
        'budget and usage',
        'stops at a token cap, exceeding it by at most one call',
        async () => {
          const request = ask('Write f.');
          const usage = { inputTokens: 800, outputTokens: 200 };
          const cap = 2500;
          const { client, budget, backendCalls } = await start(
            ['one', 'two', 'three', 'four', 'five'].map((text) => ({ request, answer: answer([text], usage) })),
            { tokens: cap },
          );
          const texts: string[] = [];
          const error = await (async () => {
            for (let i = 0; i < 5; i += 1) texts.push(...(await client.call(request)).texts);
          })().catch(failed);
          expect(error).toBeInstanceOf(BudgetExhaustedError);
          expect(error).toMatchObject({ budget: 'tokens' });
          expect(texts).toEqual(['one', 'two', 'three']);
          const spent = budget.totals().inputTokens + budget.totals().outputTokens;
          expect(spent).toBeGreaterThanOrEqual(cap);
          expect(spent).toBeLessThanOrEqual(cap + usage.inputTokens + usage.outputTokens);
          expect(backendCalls()).toBe(3);
        },
      );
    });

    describe('abort', () => {
      capabilityIt(
        target.capabilities.abort,
        'abort',
        "rejects a call whose signal is aborted with the signal's reason, before the backend",
        async () => {
          const request = ask('Write f.');
          const { client, backendCalls } = await start([{ request, answer: answer(['kept']) }]);
          const controller = new AbortController();
          const reason = new Error('run cancelled');
          controller.abort(reason);
          const error = await client.call(request, { signal: controller.signal }).then(() => 'answered', failed);
          expect(error).toBe(reason);
          expect(backendCalls()).toBe(0);
          // the answer is still there for a call that is not aborted
          expect((await client.call(request)).texts).toEqual(['kept']);
        },
      );
    });

    const wire = target.capabilities.wire;
    if ('notApplicable' in wire) {
      describe('over the wire', () => {
        it.skip(`HTTP retries, timeouts, streams, bodies and connections (not applicable, wire: ${wire.notApplicable})`, () => {});
      });
    } else {
      describeProviderWireScenarios(wire.harness, wire.makeClient);
    }
  });
}

/** An `it` that runs when the capability applies, and is reported as skipped with the reason when not. */
function capabilityIt(capability: Capability, label: string, title: string, body: () => Promise<void>): void {
  if (capability === true) it(title, body);
  else it.skip(`${title} (not applicable, ${label}: ${capability.notApplicable})`, body);
}

function both(a: Capability, b: Capability): Capability {
  return a === true ? b : a;
}

function expectError(error: unknown, expected: ExpectedError): void {
  expect(error).toBeInstanceOf(expected.type);
  if (expected.fields) expect(error).toMatchObject(expected.fields);
}

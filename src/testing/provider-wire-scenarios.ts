/**
 * The wire-level scenarios every HTTP provider must pass, run with the real SDK against its loopback
 * server: retries and their waits, timeouts, streams that stall, end early or are cut, malformed bodies,
 * refused connections, pricing, budgets per attempt, aborts mid-request. Timeouts are tiny (0.2 s) and
 * retry waits go through an injected sleep that records them. Called by `describeProviderConformance`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../budget/budget-tracker.ts';
import type { ModelConfig } from '../config/pipeline-config-schema.ts';
import type { ModelClientDeps } from '../models/create-model-client.ts';
import { ModelConnectionError } from '../models/model-connection-error.ts';
import { ModelHttpError } from '../models/model-http-error.ts';
import { ModelResponseError } from '../models/model-response-error.ts';
import { ModelTimeoutError } from '../models/model-timeout-error.ts';
import type { ModelClient } from '../models/model-types.ts';
import { DEFAULT_PRICES } from '../models/price-table.ts';
import { type HarnessServer, type ProviderWireHarness, request } from './provider-wire-harness.ts';
import { htmlPage, malformedJson, type TextReply, type WireReply } from './wire-servers/openai-wire-server.ts';

/** Builds the client under test from a model config, as `createModelClient` does. */
export type MakeHttpModelClient = (config: ModelConfig, deps: ModelClientDeps) => ModelClient;

export function describeProviderWireScenarios(h: ProviderWireHarness, makeClient: MakeHttpModelClient): void {
  describe(`${h.provider} over its wire format`, () => {
    const servers: HarnessServer[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    });

    async function setup(
      replies: (WireReply | TextReply)[],
      overrides: Partial<ModelConfig> = {},
      deps: ModelClientDeps = {},
    ) {
      const server = await h.start({ replies });
      servers.push(server);
      const sleeps: number[] = [];
      const warnings: string[] = [];
      const client = makeClient(h.config(server.baseUrl, { maxRetries: 2, ...overrides }), {
        pricing: h.pricing,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
        onWarning: (m) => warnings.push(m),
        configKey: 'coder',
        ...deps,
      });
      return { server, client, sleeps, warnings };
    }

    const price = () => ({ ...DEFAULT_PRICES, ...h.pricing })[h.pricedModel]!;
    const costOf = (input: number, output: number) =>
      (input * price().inputPerMTok + output * price().outputPerMTok) / 1e6;

    it('returns a plain reply with usage and cost', async () => {
      const { server, client } = await setup([h.plain('def f(): return 1', { inputTokens: 1200, outputTokens: 300 })]);
      const reply = await client.call(request(h.pricedModel));
      expect(reply.texts).toEqual(['def f(): return 1']);
      expect(reply.finishReasons).toEqual([h.finishReason]);
      expect(reply.usage).toEqual({ inputTokens: 1200, outputTokens: 300 });
      expect(reply.costUsd).toBeGreaterThan(0);
      expect(reply.costUsd).toBeCloseTo(costOf(1200, 300), 12);
      expect(reply.attempts).toBe(1);
      expect(server.requests).toHaveLength(1);
      const body = server.requests[0]!.body as { model: string; stream?: boolean };
      expect(body.model).toBe(h.pricedModel);
      expect(body.stream).toBeFalsy();
    });

    it('assembles a streamed reply and its usage', async () => {
      const { server, client } = await setup(
        [h.stream('def f():\n    return 42\n', { usage: { inputTokens: 50, outputTokens: 9 } })],
        {
          stream: true,
        },
      );
      const reply = await client.call(request(h.pricedModel));
      expect(reply.texts).toEqual(['def f():\n    return 42\n']);
      expect(reply.finishReasons).toEqual([h.finishReason]);
      expect(reply.usage).toEqual({ inputTokens: 50, outputTokens: 9 });
      expect(reply.costUsd).toBeCloseTo(costOf(50, 9), 12);
      const body = server.requests[0]!.body as { stream?: boolean };
      expect(body.stream).toBe(true);
      expect(h.streamAsksForUsage(body)).toBe(true);
    });

    for (const stream of [false, true]) {
      it(`round-trips tool calls through the provider's tool API (stream ${stream})`, async () => {
        const tools = [
          {
            name: 'open_file',
            description: 'Show a file.',
            parameters: { type: 'object', properties: { path: { type: 'string' } } },
          },
        ];
        const { server, client } = await setup(
          [
            { text: '', toolCalls: [{ id: 'call_1', name: 'open_file', arguments: { path: 'a.py' } }] },
            { text: 'answer' },
          ],
          { stream },
        );
        const first = request(h.pricedModel, { tools });
        const reply = await client.call(first);
        expect(reply.toolCalls).toEqual([[{ id: 'call_1', name: 'open_file', arguments: '{"path":"a.py"}' }]]);
        // The wire server refuses a result that is not where the real API wants it: this one is accepted.
        const second = await client.call({
          ...first,
          messages: [
            ...first.messages,
            { role: 'assistant', content: reply.texts[0] ?? '', toolCalls: reply.toolCalls?.[0] ?? [] },
            { role: 'tool', toolCallId: 'call_1', content: 'print(1)' },
          ],
        });
        expect(second.texts).toEqual(['answer']);
        expect(server.requests).toHaveLength(2);
      });
    }

    it('waits out a 429 retry-after, then succeeds; both attempts count against the budget', async () => {
      const budget = new BudgetTracker({});
      const { server, client, sleeps } = await setup(
        [h.error(429, { 'retry-after': '2' }), h.plain('ok')],
        {},
        { budget },
      );
      const reply = await client.call(request(h.pricedModel));
      expect(reply.texts).toEqual(['ok']);
      expect(reply.attempts).toBe(2);
      expect(sleeps).toEqual([2000]);
      expect(budget.totals().modelCalls).toBe(2);
      expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    });

    it('caps a long retry-after at maxRetryWaitSec and prefers retry-after-ms', async () => {
      const { client, sleeps } = await setup(
        [
          h.error(429, { 'retry-after': '3600' }),
          h.error(503, { 'retry-after-ms': '250', 'retry-after': '9' }),
          h.plain('ok'),
        ],
        { maxRetryWaitSec: 5 },
      );
      await client.call(request(h.pricedModel));
      expect(sleeps).toEqual([5000, 250]);
    });

    it('retries a 500 with jittered backoff', async () => {
      const { client, sleeps } = await setup([h.error(500), h.plain('ok')]);
      const reply = await client.call(request(h.pricedModel));
      expect(reply.attempts).toBe(2);
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThanOrEqual(375);
      expect(sleeps[0]).toBeLessThanOrEqual(500);
    });

    it('gives up after maxRetries + 1 attempts of 500', async () => {
      const { server, client, sleeps } = await setup([h.error(500), h.error(500), h.error(500), h.plain('never')]);
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelHttpError);
      expect(error).toMatchObject({ status: 500, attempts: 3, retryable: true, provider: h.provider });
      expect(server.requests).toHaveLength(3);
      expect(sleeps).toHaveLength(2);
      // exponential: the second wait is about twice the first
      expect(sleeps[1]! / sleeps[0]!).toBeCloseTo(2, 5);
    });

    it('does not retry a 400', async () => {
      const { server, client } = await setup([h.error(400), h.plain('never')]);
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelHttpError);
      expect(error).toMatchObject({ status: 400, attempts: 1, retryable: false });
      expect((error as Error).message).toContain('models.coder.params');
      expect(server.requests).toHaveLength(1);
    });

    it('names the config key to fix when the API key is rejected', async () => {
      const { client } = await setup([h.error(401)]);
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelHttpError);
      expect((error as Error).message).toContain('models.coder.apiKey');
    });

    it('raises a structured error for invalid JSON in a 200, and retries it', async () => {
      const { client, server } = await setup([malformedJson(), malformedJson()], { maxRetries: 1 });
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelResponseError);
      expect(error).toMatchObject({ problem: 'malformed-json', attempts: 2, retryable: true, provider: h.provider });
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      expect(server.requests).toHaveLength(2);
    });

    it('raises a non-retryable error for a non-JSON 200 body, naming baseUrl', async () => {
      const { client, server } = await setup([htmlPage(), h.plain('never')]);
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelResponseError);
      expect(error).toMatchObject({ problem: 'not-json', retryable: false, attempts: 1 });
      expect((error as Error).message).toContain('models.coder.baseUrl');
      expect(server.requests).toHaveLength(1);
    });

    it('times out a reply that never comes', async () => {
      const { client } = await setup([{ kind: 'stall', after: 'request' }], { timeoutSec: 0.2, maxRetries: 0 });
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelTimeoutError);
      expect(error).toMatchObject({ retryable: true, attempts: 1, timeoutMs: 200 });
      expect((error as Error).message).toContain('models.coder.timeoutSec');
    });

    it('times out a non-streamed body that stalls after its headers, then retries', async () => {
      const { client, sleeps } = await setup([{ kind: 'stall', after: 'headers' }, h.plain('second try')], {
        timeoutSec: 0.2,
      });
      const reply = await client.call(request(h.pricedModel));
      expect(reply.texts).toEqual(['second try']);
      expect(reply.attempts).toBe(2);
      expect(sleeps).toHaveLength(1);
    });

    it('times out a stream whose headers never come', async () => {
      const { client } = await setup([{ kind: 'stall', after: 'request' }], {
        timeoutSec: 0.2,
        stream: true,
        maxRetries: 0,
      });
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelTimeoutError);
      expect(error).toMatchObject({ phase: 'headers', timeoutMs: 200 });
    });

    it('applies the idle timeout to a stream that stalls mid-way', async () => {
      const text = 'def f():\n    return 42\n';
      const { client } = await setup(
        [h.stream(text, { stopAfter: h.framesBeforeFinish(text) - 1, afterStop: 'stall' })],
        {
          stream: true,
          idleTimeoutSec: 0.2,
          maxRetries: 0,
        },
      );
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelTimeoutError);
      expect(error).toMatchObject({ phase: 'idle', timeoutMs: 200, retryable: true });
      expect((error as Error).message).toContain('models.coder.idleTimeoutSec');
    });

    it('treats a stream that ends without a finish as an error, never as an answer', async () => {
      const text = 'def f():\n    return 42\n';
      const { client } = await setup([h.stream(text, { stopAfter: h.framesBeforeFinish(text), afterStop: 'end' })], {
        stream: true,
        maxRetries: 0,
      });
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelResponseError);
      expect(error).toMatchObject({ problem: 'truncated', retryable: true });
    });

    it('retries a truncated stream and returns only the complete answer', async () => {
      const text = 'def f():\n    return 42\n';
      const { client } = await setup(
        [h.stream('partial words here', { stopAfter: 3, afterStop: 'end' }), h.stream(text)],
        {
          stream: true,
        },
      );
      const reply = await client.call(request(h.pricedModel));
      expect(reply.texts).toEqual([text]);
      expect(reply.attempts).toBe(2);
    });

    it('retries a stream whose connection is cut', async () => {
      const { client } = await setup(
        [h.stream('cut short here', { stopAfter: 3, afterStop: 'cut' }), h.stream('whole')],
        {
          stream: true,
        },
      );
      const reply = await client.call(request(h.pricedModel));
      expect(reply.texts).toEqual(['whole']);
      expect(reply.attempts).toBe(2);
    });

    it('reports a cut stream as a connection error when retries run out', async () => {
      const { client } = await setup([h.stream('cut short here', { stopAfter: 3, afterStop: 'cut' })], {
        stream: true,
        maxRetries: 0,
      });
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelConnectionError);
      expect(error).toMatchObject({ retryable: true, attempts: 1 });
    });

    it('reports a refused connection with the base URL to check', async () => {
      const { server, client } = await setup([], { maxRetries: 1 });
      await server.stop();
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelConnectionError);
      expect(error).toMatchObject({ attempts: 2 });
      expect((error as Error).message).toContain('models.coder.baseUrl');
    });

    it('prices an unknown model at 0 with exactly one warning', async () => {
      const model = `unpriced-${h.provider}-model`;
      const { client, warnings } = await setup([h.plain('a'), h.plain('b')], { name: model });
      const first = await client.call(request(model));
      const second = await client.call(request(model));
      expect(first.costUsd).toBe(0);
      expect(second.costUsd).toBe(0);
      expect(first.usage.inputTokens).toBeGreaterThan(0);
      expect(warnings.filter((w) => w.includes(model))).toHaveLength(1);
      expect(warnings[0]).toContain('pricing');
    });

    it('stops at the cost cap, exceeding it by at most one call, also when calls are retried', async () => {
      const usage = { inputTokens: 100_000, outputTokens: 20_000 };
      const oneCall = costOf(usage.inputTokens, usage.outputTokens);
      const cap = oneCall * 2.5;
      const budget = new BudgetTracker({ costUsd: cap });
      const replies: WireReply[] = [];
      for (let i = 0; i < 10; i += 1) replies.push(h.error(503), h.plain(`answer ${i}`, usage));
      const { server, client } = await setup(replies, {}, { budget });
      const answers: string[] = [];
      const error = await (async () => {
        for (let i = 0; i < 10; i += 1) answers.push((await client.call(request(h.pricedModel))).texts[0]!);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetExhaustedError);
      expect(error).toMatchObject({ budget: 'cost' });
      expect(answers).toEqual(['answer 0', 'answer 1', 'answer 2']);
      const spent = budget.totals().costUsd;
      expect(spent).toBeGreaterThanOrEqual(cap);
      expect(spent).toBeLessThanOrEqual(cap + oneCall);
      // every attempt, retries included, was counted; none was sent after the cap was reached
      expect(budget.totals().modelCalls).toBe(6);
      expect(server.requests).toHaveLength(6);
    });

    it('stops retrying when the budget runs out between attempts', async () => {
      const budget = new BudgetTracker({ modelCalls: 2 });
      const { server, client } = await setup([h.error(500), h.error(500), h.plain('never')], {}, { budget });
      const error = await client.call(request(h.pricedModel)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetExhaustedError);
      expect(error).toMatchObject({ budget: 'calls' });
      expect(server.requests).toHaveLength(2);
    });

    it('stops at once when the caller aborts, without retrying', async () => {
      const { server, client } = await setup([{ kind: 'stall', after: 'request' }, h.plain('never')], {
        timeoutSec: 30,
      });
      const controller = new AbortController();
      const pending = client.call(request(h.pricedModel), { signal: controller.signal }).catch((e: unknown) => e);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(new Error('run cancelled'));
      const error = await pending;
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('run cancelled');
      expect(server.requests).toHaveLength(1);
    });
  });
}

import { afterEach, describe, expect, it } from 'vitest';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import { createModelClient } from '../../src/models/create-model-client.ts';
import { ModelConfigError } from '../../src/models/model-config-error.ts';
import { openAiCompatibleHarness, openAiHarness, request } from '../../src/testing/provider-wire-harness.ts';
import {
  type OpenAiWireServer,
  openAiChatCompletion,
  startOpenAiWireServer,
} from '../../src/testing/wire-servers/openai-wire-server.ts';

const servers: OpenAiWireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(...args: Parameters<typeof startOpenAiWireServer>) {
  const server = await startOpenAiWireServer(...args);
  servers.push(server);
  return server;
}

describe('openai provider', () => {
  it('sends the key, the parameters and max_completion_tokens', async () => {
    const server = await start({ apiKey: 'sk-test', respond: () => ({ text: 'ok' }) });
    const client = createModelClient(openAiHarness.config(server.baseUrl));
    await client.call(
      request('gpt-4o-mini', { params: { temperature: 0.3, topP: 0.9, maxTokens: 256, stop: ['```'], seed: 7 } }),
    );
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ temperature: 0.3, top_p: 0.9, max_completion_tokens: 256, stop: ['```'], seed: 7 });
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('n');
    expect(body['messages']).toEqual([
      { role: 'system', content: 'You write Python.' },
      { role: 'user', content: 'Write f.' },
    ]);
  });

  it('asks for n choices in one request', async () => {
    const server = await start({ respond: () => ({ text: ['a', 'b', 'c'] }) });
    const budget = new BudgetTracker({});
    const client = createModelClient(openAiHarness.config(server.baseUrl), { budget });
    const reply = await client.call(request('gpt-4o-mini', { params: { n: 3 } }));
    expect(reply.texts).toEqual(['a', 'b', 'c']);
    expect(reply.finishReasons).toEqual(['stop', 'stop', 'stop']);
    expect(server.requests).toHaveLength(1);
    expect((server.requests[0]!.body as { n: number }).n).toBe(3);
    expect(budget.totals().modelCalls).toBe(1);
  });

  it('collects n streamed choices', async () => {
    const server = await start({ respond: () => ({ text: ['first one', 'second one'] }) });
    const client = createModelClient(openAiHarness.config(server.baseUrl, { stream: true }));
    const reply = await client.call(request('gpt-4o-mini', { params: { n: 2 } }));
    expect(reply.texts).toEqual(['first one', 'second one']);
  });

  it('refuses to start without an API key, naming the config key and the variable', () => {
    const saved = process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    try {
      const error = (() => {
        try {
          createModelClient(openAiHarness.config('http://127.0.0.1:9/v1', { apiKey: undefined }), {
            configKey: 'planner',
          });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ModelConfigError);
      expect(error).toMatchObject({ configKey: 'models.planner.apiKey' });
      expect((error as Error).message).toContain('OPENAI_API_KEY');
    } finally {
      if (saved !== undefined) process.env['OPENAI_API_KEY'] = saved;
    }
  });

  it('refuses the recorded provider, which is built elsewhere', () => {
    expect(() => createModelClient(openAiHarness.config('http://127.0.0.1:9/v1', { provider: 'recorded' }))).toThrow(
      ModelConfigError,
    );
  });
});

describe('openai-compatible provider', () => {
  it('needs no API key and sends max_tokens', async () => {
    const server = await start({ respond: () => ({ text: 'ok' }) });
    const client = createModelClient(openAiCompatibleHarness.config(server.baseUrl), { onWarning: () => {} });
    await client.call(request('local-coder', { params: { maxTokens: 64 } }));
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body['max_tokens']).toBe(64);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(server.requests[0]!.headers['authorization']).toMatch(/^Bearer \S+/);
  });

  it('requires a base URL', () => {
    expect(() =>
      createModelClient(openAiCompatibleHarness.config('http://x', { baseUrl: undefined }), { configKey: 'local' }),
    ).toThrow(/models\.local\.baseUrl/);
  });

  it('fills in choices a server ignored n for with further requests', async () => {
    let count = 0;
    const server = await start({
      respond: () => {
        count += 1;
        return { text: [`choice ${count}`] };
      },
    });
    const budget = new BudgetTracker({});
    const client = createModelClient(openAiCompatibleHarness.config(server.baseUrl), { budget, onWarning: () => {} });
    const reply = await client.call(request('local-coder', { params: { n: 3 } }));
    expect(reply.texts).toEqual(['choice 1', 'choice 2', 'choice 3']);
    expect(server.requests.map((r) => (r.body as { n?: number }).n)).toEqual([3, 2, undefined]);
    expect(reply.attempts).toBe(3);
    expect(budget.totals().modelCalls).toBe(3);
  });

  it('warns once when a server reports no token usage', async () => {
    const noUsage = () => {
      const reply = openAiChatCompletion('ok');
      if (reply.kind === 'json') delete (reply.body as Record<string, unknown>)['usage'];
      return reply;
    };
    const server = await start({ respond: noUsage });
    const warnings: string[] = [];
    const client = createModelClient(openAiCompatibleHarness.config(server.baseUrl, { name: 'usage-less' }), {
      pricing: { 'usage-less': { inputPerMTok: 1, outputPerMTok: 1 } },
      onWarning: (m) => warnings.push(m),
    });
    const first = await client.call(request('usage-less'));
    await client.call(request('usage-less'));
    expect(first.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('no token usage');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../src/budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import { createModelClient } from '../../src/models/create-model-client.ts';
import { ModelConfigError } from '../../src/models/model-config-error.ts';
import { ModelResponseError } from '../../src/models/model-response-error.ts';
import { ANTHROPIC_DEFAULT_MAX_TOKENS } from '../../src/models/providers/anthropic-provider.ts';
import { anthropicHarness, request } from '../../src/testing/provider-wire-harness.ts';
import {
  type AnthropicWireServer,
  anthropicMessage,
  anthropicStreamError,
  startAnthropicWireServer,
} from '../../src/testing/wire-servers/anthropic-wire-server.ts';

const servers: AnthropicWireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(...args: Parameters<typeof startAnthropicWireServer>) {
  const server = await startAnthropicWireServer(...args);
  servers.push(server);
  return server;
}

describe('anthropic provider', () => {
  it('moves system messages to `system`, sends the key and a default max_tokens', async () => {
    const server = await start({ apiKey: 'sk-ant-test', respond: () => ({ text: 'ok' }) });
    const client = createModelClient(anthropicHarness.config(server.baseUrl));
    await client.call(request('claude-haiku-4-5', { params: { temperature: 0.2, stop: ['END'] } }));
    const sent = server.requests[0]!;
    expect(sent.body).toMatchObject({
      model: 'claude-haiku-4-5',
      system: 'You write Python.',
      messages: [{ role: 'user', content: 'Write f.' }],
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
      temperature: 0.2,
      stop_sequences: ['END'],
    });
    expect(sent.headers['anthropic-version']).toBeTruthy();
  });

  it('makes n sequential calls, each checked against the budget', async () => {
    let count = 0;
    const server = await start({
      respond: () => {
        count += 1;
        return { text: `sample ${count}`, usage: { inputTokens: 10, outputTokens: 4 } };
      },
    });
    const budget = new BudgetTracker({});
    const client = createModelClient(anthropicHarness.config(server.baseUrl), { budget });
    const reply = await client.call(request('claude-haiku-4-5', { params: { n: 3 } }));
    expect(reply.texts).toEqual(['sample 1', 'sample 2', 'sample 3']);
    expect(reply.usage).toEqual({ inputTokens: 30, outputTokens: 12 });
    expect(reply.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(budget.totals()).toMatchObject({ modelCalls: 3, inputTokens: 30, outputTokens: 12 });
  });

  it('stops the n sequential calls when the budget runs out', async () => {
    const server = await start({ respond: () => ({ text: 'sample' }) });
    const budget = new BudgetTracker({ modelCalls: 2 });
    const client = createModelClient(anthropicHarness.config(server.baseUrl), { budget });
    const error = await client.call(request('claude-haiku-4-5', { params: { n: 3 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(server.requests).toHaveLength(2);
  });

  it('retries an error event inside a stream', async () => {
    const server = await start({
      replies: [anthropicStreamError('overloaded_error', 'Overloaded'), { text: 'recovered' }],
    });
    const sleeps: number[] = [];
    const client = createModelClient(anthropicHarness.config(server.baseUrl, { stream: true }), {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const reply = await client.call(request('claude-haiku-4-5'));
    expect(reply.texts).toEqual(['recovered']);
    expect(reply.attempts).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it('reports an error event inside a stream as a structured error', async () => {
    const server = await start({ replies: [anthropicStreamError('invalid_request_error', 'prompt is too long')] });
    const client = createModelClient(anthropicHarness.config(server.baseUrl, { stream: true }));
    const error = await client.call(request('claude-haiku-4-5')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelResponseError);
    expect(error).toMatchObject({ problem: 'stream-error', retryable: false, attempts: 1 });
    expect((error as Error).message).toContain('prompt is too long');
  });

  it('counts cache reads and writes as input tokens', async () => {
    const reply = anthropicMessage('ok', { usage: { inputTokens: 5, outputTokens: 2 } });
    if (reply.kind === 'json') {
      Object.assign((reply.body as { usage: object }).usage, {
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      });
    }
    const server = await start({ replies: [reply] });
    const client = createModelClient(anthropicHarness.config(server.baseUrl));
    const result = await client.call(request('claude-haiku-4-5'));
    expect(result.usage).toEqual({ inputTokens: 125, outputTokens: 2 });
  });

  it('refuses to start without an API key, naming the config key and the variable', () => {
    const saved = process.env['ANTHROPIC_API_KEY'];
    delete process.env['ANTHROPIC_API_KEY'];
    try {
      expect(() =>
        createModelClient(anthropicHarness.config('http://127.0.0.1:9', { apiKey: undefined }), {
          configKey: 'critic',
        }),
      ).toThrow(ModelConfigError);
      expect(() =>
        createModelClient(anthropicHarness.config('http://127.0.0.1:9', { apiKey: undefined }), {
          configKey: 'critic',
        }),
      ).toThrow(/models\.critic\.apiKey.*ANTHROPIC_API_KEY/);
    } finally {
      if (saved !== undefined) process.env['ANTHROPIC_API_KEY'] = saved;
    }
  });
});

describe('anthropic wire server', () => {
  it('accepts both auth styles and rejects a request with neither', async () => {
    const server = await start({ respond: () => ({ text: 'ok' }) });
    const post = (headers: Record<string, string>) =>
      fetch(`${server.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [] }),
      }).then((r) => r.status);
    expect(await post({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' })).toBe(200);
    expect(await post({ authorization: 'Bearer k' })).toBe(200);
    expect(await post({})).toBe(401);
  });
});

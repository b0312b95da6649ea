import { afterEach, describe, expect, it } from 'vitest';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import { createModelClient } from '../../src/models/create-model-client.ts';
import { ModelHttpError } from '../../src/models/model-http-error.ts';
import { ModelResponseError } from '../../src/models/model-response-error.ts';
import type { ChatMessage, ModelRequest, ToolDefinition } from '../../src/models/model-types.ts';
import { anthropicHarness, openAiHarness, request } from '../../src/testing/provider-wire-harness.ts';
import { startAnthropicWireServer } from '../../src/testing/wire-servers/anthropic-wire-server.ts';
import { startOpenAiWireServer } from '../../src/testing/wire-servers/openai-wire-server.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const OPEN_FILE: ToolDefinition = {
  name: 'open_file',
  description: 'Show lines of a file.',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, start: { type: 'integer' } },
    required: ['path'],
  },
};

/** The messages of a tool round: the assistant turn with its calls, then one result per call. */
function round(reply: {
  texts: string[];
  toolCalls?: { id: string; name: string; arguments: string }[][];
}): ChatMessage[] {
  const calls = reply.toolCalls?.[0] ?? [];
  return [
    { role: 'assistant', content: reply.texts[0] ?? '', toolCalls: calls },
    ...calls.map(
      (c, i): ChatMessage => ({
        role: 'tool',
        toolCallId: c.id,
        content: i === 0 ? `contents of ${JSON.parse(c.arguments).path}` : 'error: no such file',
        ...(i === 0 ? {} : { isError: true }),
      }),
    ),
  ];
}

const scripted = [
  {
    text: 'Let me look.',
    toolCalls: [
      { id: 'call_a', name: 'open_file', arguments: { path: 'src/a.py', start: 10 } },
      { id: 'call_b', name: 'open_file', arguments: { path: 'missing.py' } },
    ],
    usage: { inputTokens: 100, outputTokens: 20 },
  },
  { text: 'The bug is in a.py.', usage: { inputTokens: 150, outputTokens: 10 } },
];

describe.each([false, true])('tool calling over the wire (stream %s)', (stream) => {
  it('openai: declares tools, reads tool_calls, answers each id with a tool message', async () => {
    const server = await startOpenAiWireServer({ replies: scripted.map((r) => ({ ...r })) });
    stops.push(() => server.stop());
    const budget = new BudgetTracker({});
    const client = createModelClient(openAiHarness.config(server.baseUrl, { stream, apiKey: 'k' }), { budget });
    const first: ModelRequest = request('gpt-4.1-mini', { tools: [OPEN_FILE] });
    const reply = await client.call(first);
    expect(reply.finishReasons).toEqual(['tool_calls']);
    expect(reply.toolCalls).toEqual([
      [
        { id: 'call_a', name: 'open_file', arguments: '{"path":"src/a.py","start":10}' },
        { id: 'call_b', name: 'open_file', arguments: '{"path":"missing.py"}' },
      ],
    ]);
    const second = await client.call({ ...first, messages: [...first.messages, ...round(reply)] });
    expect(second.texts).toEqual(['The bug is in a.py.']);
    expect(second.toolCalls).toEqual([[]]);
    const body = server.requests[1]!.body as { tools: unknown; tool_choice: unknown; messages: unknown[] };
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'open_file', description: OPEN_FILE.description, parameters: OPEN_FILE.parameters },
      },
    ]);
    expect(body.tool_choice).toBe('auto');
    expect(body.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'open_file', arguments: '{"path":"src/a.py","start":10}' },
          },
          { id: 'call_b', type: 'function', function: { name: 'open_file', arguments: '{"path":"missing.py"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'contents of src/a.py' },
      { role: 'tool', tool_call_id: 'call_b', content: 'error: no such file' },
    ]);
    // Every round is a model call against the budget.
    expect(budget.totals()).toMatchObject({ modelCalls: 2, inputTokens: 250, outputTokens: 30 });
  });

  it('anthropic: tool_use blocks in, tool_result blocks right after, is_error kept', async () => {
    const server = await startAnthropicWireServer({ replies: scripted.map((r) => ({ ...r })) });
    stops.push(() => server.stop());
    const client = createModelClient(anthropicHarness.config(server.baseUrl, { stream }));
    const first: ModelRequest = request('claude-haiku-4-5', { tools: [OPEN_FILE] });
    const reply = await client.call(first);
    expect(reply.finishReasons).toEqual(['tool_use']);
    expect(reply.texts).toEqual(['Let me look.']);
    expect(reply.toolCalls?.[0]?.map((c) => [c.id, JSON.parse(c.arguments)])).toEqual([
      ['call_a', { path: 'src/a.py', start: 10 }],
      ['call_b', { path: 'missing.py' }],
    ]);
    const final = await client.call({ ...first, messages: [...first.messages, ...round(reply)], toolChoice: 'none' });
    expect(final.texts).toEqual(['The bug is in a.py.']);
    const body = server.requests[1]!.body as { tools: unknown; tool_choice: unknown; messages: unknown[] };
    expect(body.tools).toEqual([
      { name: 'open_file', description: OPEN_FILE.description, input_schema: OPEN_FILE.parameters },
    ]);
    expect(body.tool_choice).toEqual({ type: 'none' });
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'call_a', name: 'open_file', input: { path: 'src/a.py', start: 10 } },
          { type: 'tool_use', id: 'call_b', name: 'open_file', input: { path: 'missing.py' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_a', content: 'contents of src/a.py' },
          { type: 'tool_result', tool_use_id: 'call_b', content: 'error: no such file', is_error: true },
        ],
      },
    ]);
  });
});

describe('the wire servers refuse what the real APIs refuse', () => {
  const unanswered: ChatMessage[] = [
    { role: 'user', content: 'Find the bug.' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_x', name: 'open_file', arguments: '{"path":"a.py"}' }] },
    { role: 'user', content: 'go on' },
  ];

  it('openai: a tool_call id with no tool message is a 400, not retried', async () => {
    const server = await startOpenAiWireServer({ respond: () => ({ text: 'never' }) });
    stops.push(() => server.stop());
    const client = createModelClient(openAiHarness.config(server.baseUrl, { apiKey: 'k' }));
    const error = await client
      .call(request('gpt-4.1-mini', { tools: [OPEN_FILE], messages: unanswered }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelHttpError);
    expect((error as ModelHttpError).message).toContain('did not have response messages: call_x');
    expect(server.requests).toHaveLength(1);
  });

  it('anthropic: tool_use without tool_result right after is a 400', async () => {
    const server = await startAnthropicWireServer({ respond: () => ({ text: 'never' }) });
    stops.push(() => server.stop());
    const client = createModelClient(anthropicHarness.config(server.baseUrl));
    const error = await client
      .call(request('claude-haiku-4-5', { tools: [OPEN_FILE], messages: unanswered }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelHttpError);
    expect((error as ModelHttpError).message).toContain('without `tool_result` blocks immediately after: call_x');
  });

  it('a malformed tool call from the server is a ModelResponseError naming the field', async () => {
    const server = await startOpenAiWireServer({
      replies: [
        {
          kind: 'json',
          body: {
            choices: [
              {
                index: 0,
                finish_reason: 'tool_calls',
                message: {
                  role: 'assistant',
                  content: null,
                  tool_calls: [{ id: 'c1', type: 'function', function: { name: 'open_file' } }],
                },
              },
            ],
          },
        },
      ],
    });
    stops.push(() => server.stop());
    const client = createModelClient(openAiHarness.config(server.baseUrl, { apiKey: 'k' }));
    const error = await client.call(request('gpt-4.1-mini', { tools: [OPEN_FILE] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelResponseError);
    expect((error as Error).message).toContain('function.arguments');
  });
});

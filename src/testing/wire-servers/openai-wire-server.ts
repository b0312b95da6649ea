/**
 * A local server speaking OpenAI's chat-completions wire format, for driving the real `openai` SDK (and
 * Refinery's `openai` / `openai-compatible` providers) in tests and recordings.
 *
 *   const server = await startOpenAiWireServer({
 *     replies: [openAiError(429, 'slow down', { 'retry-after': '2' }), { text: 'def f(): ...' }],
 *     respond: (body) => ({ text: 'default answer', usage: { inputTokens: 10, outputTokens: 5 } }),
 *   });
 *   // model config: { provider: 'openai-compatible', name: 'm', baseUrl: server.baseUrl }
 *   ...
 *   server.requests[0].body.messages;  // what the SDK sent (headers too)
 *   await server.stop();
 *
 * Each POST /v1/chat/completions takes the next queued reply, else asks `respond(body, request)`, else
 * fails with HTTP 418 ("script exhausted", not retryable). A reply is either a `WireReply` (exact control:
 * status, headers, malformed bodies, stalls, cut streams; see the builders below) or the shorthand
 * `{ text, usage?, finishReason? }`, which becomes a plain completion, or a stream when the request asked
 * for one (with a usage chunk when `stream_options.include_usage` is set). `text` may be an array, one
 * text per choice (`n`). Set `apiKey` to require `Authorization: Bearer <apiKey>`.
 */
import {
  isWireReply,
  type RecordedRequest,
  ReplyScript,
  startScriptedHttpServer,
  type TextReply,
  textPieces,
  type WireReply,
  type WireToolCall,
  type WireUsage,
} from './scripted-http-server.ts';
import { checkOpenAiToolRequest } from './tool-request-checks.ts';

export type { RecordedRequest, TextReply, WireReply, WireToolCall, WireUsage } from './scripted-http-server.ts';
export { htmlPage, malformedJson } from './scripted-http-server.ts';

export interface OpenAiScript {
  replies?: (WireReply | TextReply)[];
  /**
   * Answers a request once the queue is empty. `body` is the request's parsed JSON; a responder declares the fields
   * it reads (`(body: { messages: ... }) => ...`), which method syntax lets TypeScript accept for an `unknown` body.
   */
  respond?(body: unknown, request: RecordedRequest): WireReply | TextReply | Promise<WireReply | TextReply>;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get a 401. */
  apiKey?: string;
}

export interface OpenAiWireServer {
  /** Base URL for the SDK / `models.<name>.baseUrl`: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queue more replies. */
  enqueue(...replies: (WireReply | TextReply)[]): void;
  /** Replies still queued. */
  readonly pending: number;
  stop(): Promise<void>;
}

const DEFAULT_USAGE: WireUsage = { inputTokens: 12, outputTokens: 7 };

export async function startOpenAiWireServer(script: OpenAiScript = {}): Promise<OpenAiWireServer> {
  const queue = new ReplyScript<TextReply>(script.replies, script.respond);
  const http = await startScriptedHttpServer(async (request) => {
    if (request.method !== 'POST' || request.path.split('?')[0] !== '/v1/chat/completions') {
      return openAiError(404, `wire server: no route ${request.method} ${request.path}`);
    }
    if (script.apiKey !== undefined && request.headers['authorization'] !== `Bearer ${script.apiKey}`) {
      return openAiError(401, 'Incorrect API key provided', {}, 'invalid_api_key');
    }
    const invalid = checkOpenAiToolRequest(request.body);
    if (invalid !== undefined) return openAiError(400, invalid);
    const next = await queue.next(request);
    if (next === undefined) {
      return openAiError(418, `wire server script exhausted: no reply for request #${http.requests.length}`);
    }
    if (isWireReply(next)) return next;
    const body = (request.body ?? {}) as {
      stream?: boolean;
      n?: number;
      model?: string;
      stream_options?: { include_usage?: boolean };
    };
    const texts = Array.isArray(next.text) ? next.text : Array.from({ length: body.n ?? 1 }, () => next.text as string);
    const options = {
      usage: next.usage,
      finishReason: next.finishReason,
      model: next.model ?? body.model,
      toolCalls: next.toolCalls,
    };
    return body.stream
      ? openAiChatStream(texts, { ...options, includeUsage: body.stream_options?.include_usage === true })
      : openAiChatCompletion(texts, options);
  });
  return {
    baseUrl: `${http.origin}/v1`,
    requests: http.requests,
    enqueue: (...replies) => queue.enqueue(...replies),
    get pending() {
      return queue.pending;
    },
    stop: () => http.stop(),
  };
}

interface CompletionOptions {
  usage?: WireUsage | undefined;
  finishReason?: string | undefined;
  model?: string | undefined;
  /** Tool calls of the first choice (finish_reason `tool_calls` unless `finishReason` says otherwise). */
  toolCalls?: WireToolCall[] | undefined;
}

const wireArguments = (call: WireToolCall) =>
  typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
const hasToolCalls = (options: CompletionOptions, index: number) =>
  index === 0 && options.toolCalls !== undefined && options.toolCalls.length > 0;

/** A plain `chat.completion` body (200). */
export function openAiChatCompletion(text: string | string[], options: CompletionOptions = {}): WireReply {
  const texts = Array.isArray(text) ? text : [text];
  const usage = options.usage ?? DEFAULT_USAGE;
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-wire',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: options.model ?? 'wire-model',
      choices: texts.map((content, index) => ({
        index,
        message: {
          role: 'assistant',
          content: hasToolCalls(options, index) && content === '' ? null : content,
          refusal: null,
          ...(hasToolCalls(options, index)
            ? {
                tool_calls: options.toolCalls?.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: wireArguments(c) },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: options.finishReason ?? (hasToolCalls(options, index) ? 'tool_calls' : 'stop'),
      })),
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    },
  };
}

export interface StreamOptions extends CompletionOptions {
  /** Send the final usage chunk (what `stream_options.include_usage` asks for). Default true. */
  includeUsage?: boolean;
  /** Send only the first N frames, then do `afterStop` (default: all frames, then a clean end). */
  stopAfter?: number;
  afterStop?: 'end' | 'stall' | 'cut';
  frameDelayMs?: number;
}

/** A streamed chat completion: role chunk, content chunks, finish chunks, usage chunk, `[DONE]`. */
export function openAiChatStream(text: string | string[], options: StreamOptions = {}): WireReply & { kind: 'sse' } {
  const texts = Array.isArray(text) ? text : [text];
  const usage = options.usage ?? DEFAULT_USAGE;
  const base = {
    id: 'chatcmpl-wire',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: options.model ?? 'wire-model',
  };
  const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  const frames: string[] = [];
  texts.forEach((content, index) => {
    frames.push(
      frame({ ...base, choices: [{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
    );
    for (const piece of content === '' ? [] : textPieces(content)) {
      frames.push(frame({ ...base, choices: [{ index, delta: { content: piece }, finish_reason: null }] }));
    }
    const calls = hasToolCalls(options, index) ? (options.toolCalls ?? []) : [];
    calls.forEach((call, i) => {
      // As the API streams them: id, type and name with empty arguments, then the arguments in two pieces.
      const args = wireArguments(call);
      const half = Math.floor(args.length / 2);
      const delta = (d: unknown) =>
        frame({ ...base, choices: [{ index, delta: { tool_calls: [d] }, finish_reason: null }] });
      frames.push(delta({ index: i, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }));
      frames.push(delta({ index: i, function: { arguments: args.slice(0, half) } }));
      frames.push(delta({ index: i, function: { arguments: args.slice(half) } }));
    });
    const finish = options.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
    frames.push(frame({ ...base, choices: [{ index, delta: {}, finish_reason: finish }] }));
  });
  if (options.includeUsage ?? true) {
    frames.push(
      frame({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: usage.inputTokens,
          completion_tokens: usage.outputTokens,
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      }),
    );
  }
  frames.push('data: [DONE]\n\n');
  return {
    kind: 'sse',
    frames,
    ...(options.stopAfter !== undefined ? { stopAfter: options.stopAfter } : {}),
    ...(options.afterStop !== undefined ? { afterStop: options.afterStop } : {}),
    ...(options.frameDelayMs !== undefined ? { frameDelayMs: options.frameDelayMs } : {}),
  };
}

/** An OpenAI-format error body with a status, plus headers such as `retry-after`. */
export function openAiError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code: string | null = null,
): WireReply {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { kind: 'json', status, headers, body: { error: { message, type, param: null, code } } };
}

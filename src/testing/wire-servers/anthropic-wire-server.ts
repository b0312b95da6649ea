/**
 * A local server speaking Anthropic's Messages wire format, for driving the real `@anthropic-ai/sdk`
 * (and Refinery's `anthropic` provider) in tests and recordings.
 *
 *   const server = await startAnthropicWireServer({
 *     replies: [anthropicError(529, 'overloaded_error', 'Overloaded'), { text: 'def f(): ...' }],
 *     respond: (body) => ({ text: 'default answer', usage: { inputTokens: 10, outputTokens: 5 } }),
 *   });
 *   // model config: { provider: 'anthropic', name: 'claude-x', apiKey: 'k', baseUrl: server.baseUrl }
 *   ...
 *   server.requests[0].body.system;  // what the SDK sent (headers too)
 *   await server.stop();
 *
 * Each POST /v1/messages takes the next queued reply, else asks `respond(body, request)`, else fails
 * with HTTP 418 ("script exhausted", not retryable). A reply is a `WireReply` (see the builders below)
 * or the shorthand `{ text, usage?, finishReason? }`, which becomes a message, or an event stream when
 * the request set `stream: true`. Both auth styles are accepted (`x-api-key`, as 0.x SDKs send, and
 * `Authorization: Bearer`, as 1.x sends); a request with neither gets a 401, and with `apiKey` set the
 * key must match.
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
import { checkAnthropicToolRequest } from './tool-request-checks.ts';

export type { RecordedRequest, TextReply, WireReply, WireToolCall, WireUsage } from './scripted-http-server.ts';
export { htmlPage, malformedJson } from './scripted-http-server.ts';

export interface AnthropicScript {
  replies?: (WireReply | TextReply)[];
  /**
   * Answers a request once the queue is empty. `body` is the request's parsed JSON; a responder declares the fields
   * it reads (`(body: { messages: ... }) => ...`), which method syntax lets TypeScript accept for an `unknown` body.
   */
  respond?(body: unknown, request: RecordedRequest): WireReply | TextReply | Promise<WireReply | TextReply>;
  /** When set, the request's key (either auth style) must equal it. */
  apiKey?: string;
}

export interface AnthropicWireServer {
  /** Base URL for the SDK / `models.<name>.baseUrl`: `http://127.0.0.1:<port>` (the SDK adds /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  enqueue(...replies: (WireReply | TextReply)[]): void;
  readonly pending: number;
  stop(): Promise<void>;
}

const DEFAULT_USAGE: WireUsage = { inputTokens: 12, outputTokens: 7 };

/** The key a request presented, in either auth style. */
export function presentedKey(request: RecordedRequest): string | undefined {
  const bearer = /^Bearer (.+)$/i.exec(request.headers['authorization'] ?? '')?.[1];
  return request.headers['x-api-key'] ?? bearer;
}

export async function startAnthropicWireServer(script: AnthropicScript = {}): Promise<AnthropicWireServer> {
  const queue = new ReplyScript<TextReply>(script.replies, script.respond);
  const http = await startScriptedHttpServer(async (request) => {
    if (request.method !== 'POST' || request.path.split('?')[0] !== '/v1/messages') {
      return anthropicError(404, 'not_found_error', `wire server: no route ${request.method} ${request.path}`);
    }
    const key = presentedKey(request);
    if (key === undefined || (script.apiKey !== undefined && key !== script.apiKey)) {
      return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    }
    const invalid = checkAnthropicToolRequest(request.body);
    if (invalid !== undefined) return anthropicError(400, 'invalid_request_error', invalid);
    const next = await queue.next(request);
    if (next === undefined) {
      return anthropicError(
        418,
        'invalid_request_error',
        `wire server script exhausted: no reply for request #${http.requests.length}`,
      );
    }
    if (isWireReply(next)) return next;
    const body = (request.body ?? {}) as { stream?: boolean; model?: string };
    const text = Array.isArray(next.text) ? next.text.join('') : next.text;
    const options = {
      usage: next.usage,
      stopReason: next.finishReason,
      model: next.model ?? body.model,
      toolCalls: next.toolCalls,
    };
    return body.stream ? anthropicMessageStream(text, options) : anthropicMessage(text, options);
  });
  return {
    baseUrl: http.origin,
    requests: http.requests,
    enqueue: (...replies) => queue.enqueue(...replies),
    get pending() {
      return queue.pending;
    },
    stop: () => http.stop(),
  };
}

interface MessageOptions {
  usage?: WireUsage | undefined;
  stopReason?: string | undefined;
  model?: string | undefined;
  /** `tool_use` blocks after the text (stop_reason `tool_use` unless `stopReason` says otherwise). */
  toolCalls?: WireToolCall[] | undefined;
}

const toolInput = (call: WireToolCall): Record<string, unknown> =>
  typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as Record<string, unknown>) : call.arguments;
const stopReasonOf = (options: MessageOptions) =>
  options.stopReason ?? (options.toolCalls && options.toolCalls.length > 0 ? 'tool_use' : 'end_turn');

/** A plain `message` body (200). */
export function anthropicMessage(text: string, options: MessageOptions = {}): WireReply {
  const usage = options.usage ?? DEFAULT_USAGE;
  return {
    kind: 'json',
    body: {
      id: 'msg_wire',
      type: 'message',
      role: 'assistant',
      model: options.model ?? 'wire-model',
      content: [
        ...(text === '' && options.toolCalls?.length ? [] : [{ type: 'text', text }]),
        ...(options.toolCalls ?? []).map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: toolInput(c) })),
      ],
      stop_reason: stopReasonOf(options),
      stop_sequence: null,
      usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
    },
  };
}

export interface MessageStreamOptions extends MessageOptions {
  /** Send only the first N frames, then do `afterStop` (default: all frames, then a clean end). */
  stopAfter?: number;
  afterStop?: 'end' | 'stall' | 'cut';
  frameDelayMs?: number;
}

/**
 * A streamed message: message_start, content_block_start, ping, text deltas, content_block_stop,
 * message_delta (stop_reason, usage), message_stop. Every frame has its `event:` line, which the SDK needs.
 */
export function anthropicMessageStream(text: string, options: MessageStreamOptions = {}): WireReply & { kind: 'sse' } {
  const usage = options.usage ?? DEFAULT_USAGE;
  const frame = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const frames = [
    frame('message_start', {
      message: {
        id: 'msg_wire',
        type: 'message',
        role: 'assistant',
        model: options.model ?? 'wire-model',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: 1 },
      },
    }),
    frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    frame('ping', {}),
    ...textPieces(text).map((piece) =>
      frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }),
    ),
    frame('content_block_stop', { index: 0 }),
    ...(options.toolCalls ?? []).flatMap((call, i) => {
      const json = JSON.stringify(toolInput(call));
      const half = Math.floor(json.length / 2);
      return [
        frame('content_block_start', {
          index: i + 1,
          content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
        }),
        frame('content_block_delta', {
          index: i + 1,
          delta: { type: 'input_json_delta', partial_json: json.slice(0, half) },
        }),
        frame('content_block_delta', {
          index: i + 1,
          delta: { type: 'input_json_delta', partial_json: json.slice(half) },
        }),
        frame('content_block_stop', { index: i + 1 }),
      ];
    }),
    frame('message_delta', {
      delta: { stop_reason: stopReasonOf(options), stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    }),
    frame('message_stop', {}),
  ];
  return {
    kind: 'sse',
    frames,
    ...(options.stopAfter !== undefined ? { stopAfter: options.stopAfter } : {}),
    ...(options.afterStop !== undefined ? { afterStop: options.afterStop } : {}),
    ...(options.frameDelayMs !== undefined ? { frameDelayMs: options.frameDelayMs } : {}),
  };
}

/** An Anthropic-format error body with a status (529 = overloaded), plus headers such as `retry-after`. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): WireReply {
  return { kind: 'json', status, headers, body: { type: 'error', error: { type, message } } };
}

/** An `error` event inside an otherwise healthy stream (e.g. overloaded mid-answer). */
export function anthropicStreamError(type: string, message: string): WireReply {
  const frames = anthropicMessageStream('partial answer').frames.slice(0, 3);
  frames.push(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`);
  return { kind: 'sse', frames };
}

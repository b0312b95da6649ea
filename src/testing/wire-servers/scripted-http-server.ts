/**
 * The provider-neutral core of the wire-format test servers: an HTTP server on 127.0.0.1 (port 0) that
 * records every request and answers from a scripted queue, then from a responder function. The
 * provider modules (`openai-wire-server.ts`, `anthropic-wire-server.ts`) add routes, auth and reply
 * builders; use those rather than this file directly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted HTTP answer. */
export type WireReply = (
  | { kind: 'json'; status?: number; headers?: Record<string, string>; body: unknown }
  /** Any body with any content type: malformed JSON, an HTML page, ... */
  | { kind: 'raw'; status?: number; headers?: Record<string, string>; body: string }
  /**
   * A server-sent-events stream of pre-formatted frames (each ending in a blank line). After `stopAfter`
   * frames (default: all), `afterStop` decides: `end` closes cleanly, `stall` keeps the connection open
   * sending nothing, `cut` destroys the socket mid-stream.
   */
  | {
      kind: 'sse';
      headers?: Record<string, string>;
      frames: string[];
      stopAfter?: number;
      afterStop?: 'end' | 'stall' | 'cut';
      /** Pause between frames, to exercise incremental reads (keep it tiny). */
      frameDelayMs?: number;
    }
  /** Never answer (`request`), or send 200 headers and then nothing (`headers`). */
  | { kind: 'stall'; after: 'request' | 'headers'; headers?: Record<string, string> }
  /** Drop the connection without any response. */
  | { kind: 'reset' }
) & {
  /** Wait this long before answering. */
  delayMs?: number;
};

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case header names, as Node reports them. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  rawBody: string;
}

export interface ScriptedHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Produces the reply for one request, or undefined to fall through to the default. */
export type Router = (request: RecordedRequest) => Promise<WireReply> | WireReply;

export async function startScriptedHttpServer(route: Router): Promise<ScriptedHttpServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `wire server failed: ${String(error)}` } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body, rawBody };
    requests.push(recorded);
    const reply = await route(recorded);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    await send(reply, res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function send(reply: WireReply, res: ServerResponse): Promise<void> {
  switch (reply.kind) {
    case 'json': {
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...reply.headers,
      });
      res.end(text);
      return;
    }
    case 'raw':
      res.writeHead(reply.status ?? 200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(reply.body)),
        ...reply.headers,
      });
      res.end(reply.body);
      return;
    case 'sse': {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...reply.headers,
      });
      res.flushHeaders();
      const count = Math.min(reply.stopAfter ?? reply.frames.length, reply.frames.length);
      for (let i = 0; i < count; i += 1) {
        if (reply.frameDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.frameDelayMs));
        if (res.destroyed) return;
        await new Promise<void>((resolve) => res.write(reply.frames[i] ?? '', () => resolve()));
      }
      const afterStop = reply.afterStop ?? 'end';
      if (afterStop === 'end') res.end();
      // Closing the socket without the final zero-length chunk: the client sees an incomplete body.
      else if (afterStop === 'cut') res.socket?.destroy();
      return;
    }
    case 'stall':
      if (reply.after === 'headers') {
        res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
        res.flushHeaders();
      }
      return;
    case 'reset':
      res.socket?.destroy();
      return;
  }
}

/** A queue of scripted replies, then a responder, then a loud non-retryable failure. */
export class ReplyScript<TShorthand> {
  private readonly queue: (WireReply | TShorthand)[];

  constructor(
    replies: readonly (WireReply | TShorthand)[] = [],
    private readonly respond?: (
      body: unknown,
      request: RecordedRequest,
    ) => WireReply | TShorthand | Promise<WireReply | TShorthand>,
  ) {
    this.queue = [...replies];
  }

  enqueue(...replies: (WireReply | TShorthand)[]): void {
    this.queue.push(...replies);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The next reply, or undefined when the queue is empty and there is no responder. */
  async next(request: RecordedRequest): Promise<WireReply | TShorthand | undefined> {
    if (this.queue.length > 0) return this.queue.shift();
    if (this.respond) return this.respond(request.body, request);
    return undefined;
  }
}

export function isWireReply(value: unknown): value is WireReply {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** Split text into stream-sized pieces (words with their trailing spaces). */
export function textPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [''];
}

export interface WireUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Shorthand reply: the provider server turns it into a plain or streamed reply, as the request asked. */
export interface TextReply {
  /** One text, or one per choice (openai `n`). */
  text: string | string[];
  usage?: WireUsage;
  finishReason?: string;
  model?: string;
  /** Tool calls the reply makes (first choice); `arguments` is sent as given (OpenAI) or parsed (Anthropic). */
  toolCalls?: WireToolCall[];
}

export interface WireToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown> | string;
}

/** A 200 whose JSON is cut short: the SDKs' parse throws a bare SyntaxError. */
export function malformedJson(): WireReply {
  return { kind: 'raw', body: '{"id": "wire", "choices": [{"index": 0, "message": {"content": "par' };
}

/** A 200 HTML page, as a wrong base URL would give: the SDKs resolve to the text instead of failing. */
export function htmlPage(): WireReply {
  return { kind: 'raw', headers: { 'content-type': 'text/html' }, body: '<html><body>Welcome to nginx!</body></html>' };
}

import type { ModelClient, ModelReply, ModelRequest } from '../../../../src/models/model-types.ts';

/** A reply written by hand for a test, as a model would have answered. */
export interface ScriptedReply {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  /** Wait before answering (wall-time budget tests). */
  delayMs?: number;
}

/** Decides the reply to the n-th request of an agent (0-based), given the request. */
export type ReplyScript = (request: ModelRequest, agentCallIndex: number) => ScriptedReply | string;

/**
 * Scripted replies for tests: no network, no provider. Every request is kept in `requests`, so a test can
 * check what the loop sent (the critic's feedback inside the coder's prompt, for instance).
 */
export class ScriptedModelClient implements ModelClient {
  readonly requests: ModelRequest[] = [];
  private readonly perAgent = new Map<string, number>();

  constructor(private readonly script: ReplyScript) {}

  /** Replies per agent, in order; the last one repeats when an agent asks more often. */
  static fromLists(lists: Record<string, (ScriptedReply | string)[]>): ScriptedModelClient {
    return new ScriptedModelClient((request, index) => {
      const list = lists[request.agent];
      if (!list || list.length === 0) throw new Error(`scripted model: no reply scripted for agent '${request.agent}'`);
      return list[Math.min(index, list.length - 1)]!;
    });
  }

  async call(request: ModelRequest): Promise<ModelReply> {
    this.requests.push(request);
    const index = this.perAgent.get(request.agent) ?? 0;
    this.perAgent.set(request.agent, index + 1);
    const scripted = this.script(request, index);
    const reply = typeof scripted === 'string' ? { text: scripted } : scripted;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    return {
      texts: [reply.text],
      finishReasons: ['stop'],
      usage: { inputTokens: reply.inputTokens ?? 100, outputTokens: reply.outputTokens ?? 50 },
      costUsd: reply.costUsd ?? 0,
      attempts: 1,
      latencyMs: 0,
      model: request.model,
    };
  }

  /** The requests one agent made, in order. */
  requestsOf(agent: string): ModelRequest[] {
    return this.requests.filter((r) => r.agent === agent);
  }
}

import type { ModelClient, ModelReply, ModelRequest } from '../models/model-types.ts';

/**
 * Answers each agent's calls from a list of replies, in order: a call asking for `n` samples takes the next
 * `n`. Usage is counted from the text (4 characters a token), so budgets move as with a real model.
 * What an example run (`PipelineExample`) and the record/replay conformance suite use instead of a provider.
 */
export class ExampleModelClient implements ModelClient {
  private readonly next = new Map<string, number>();

  constructor(private readonly replies: Record<string, readonly string[]>) {}

  async call(request: ModelRequest): Promise<ModelReply> {
    const list = this.replies[request.agent] ?? [];
    const start = this.next.get(request.agent) ?? 0;
    const n = request.params.n ?? 1;
    if (start + n > list.length)
      throw new Error(
        `example replies: agent '${request.agent}' asked for reply ${start + n} of ${list.length} scripted`,
      );
    this.next.set(request.agent, start + n);
    const texts = list.slice(start, start + n);
    const promptChars = request.messages.reduce((sum, m) => sum + m.content.length, 0);
    return {
      texts,
      finishReasons: texts.map(() => 'stop'),
      usage: {
        inputTokens: Math.ceil(promptChars / 4),
        outputTokens: texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0),
      },
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      model: request.model,
    };
  }
}

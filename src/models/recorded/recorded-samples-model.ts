import type { ModelClient, ModelReply, ModelRequest } from '../model-types.ts';
import { RecordedSampleError } from './recorded-sample-error.ts';
import type { SampleSource } from './sample-source.ts';

/**
 * A model that answers from recorded samples instead of generating: the i-th sample requested for
 * (agent, recordKey) is recorded sample i; a request with `params.n = k` gets the next k samples.
 * The prompt is not looked at, so the graph's own prompts can change without breaking the recording.
 * Cost 0, usage 0 tokens, 1 attempt, latency 0: nothing was generated now.
 */
export class RecordedSamplesModel implements ModelClient {
  private readonly consumed = new Map<string, number>();

  constructor(private readonly source: SampleSource) {}

  async call(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply> {
    // A cancelled call takes no sample: the cursor stays where the run stopped.
    options?.signal?.throwIfAborted();
    const wanted = request.params.n ?? 1;
    const key = request.recordKey;
    const fail = (reason: 'missing-key' | 'unknown-key' | 'exhausted', available: number, consumed: number) =>
      new RecordedSampleError({
        reason,
        source: this.source.label,
        agent: request.agent,
        key,
        requested: wanted,
        available,
        consumed,
      });
    if (key === undefined) throw fail('missing-key', 0, 0);
    const samples = this.source.samplesFor(request.agent, key);
    if (samples === undefined) throw fail('unknown-key', 0, 0);
    const cursorKey = `${request.agent}\u0000${key}`;
    const start = this.consumed.get(cursorKey) ?? 0;
    if (start + wanted > samples.length) throw fail('exhausted', samples.length, start);
    this.consumed.set(cursorKey, start + wanted);
    const texts = samples.slice(start, start + wanted);
    return {
      texts,
      finishReasons: texts.map(() => 'recorded'),
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      model: request.model,
    };
  }

  /** Samples still unused for (agent, key); undefined when the key is unknown. */
  remaining(agent: string, key: string): number | undefined {
    const samples = this.source.samplesFor(agent, key);
    if (samples === undefined) return undefined;
    return samples.length - (this.consumed.get(`${agent}\u0000${key}`) ?? 0);
  }

  /** Starts a key (or every key) over from sample 0, e.g. before running a task a second time. */
  rewind(agent?: string, key?: string): void {
    if (agent === undefined || key === undefined) this.consumed.clear();
    else this.consumed.delete(`${agent}\u0000${key}`);
  }
}

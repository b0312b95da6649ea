import { RefineryError } from '../../src/errors/refinery-error.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../../src/models/model-types.ts';

/** The recorded model, falling back to the configured one when the recording has no reply (`--on-divergence live`). */
export function withLiveFallback(recorded: ModelClient, live: () => ModelClient): ModelClient {
  let client: ModelClient | undefined;
  return {
    async call(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply> {
      try {
        return await recorded.call(request, options);
      } catch (error) {
        if (!RefineryError.isInstance(error, 'RECORDED_SAMPLE')) throw error;
        client ??= live();
        return client.call(request, options);
      }
    },
  };
}

import type { LoadedConfig } from '../../src/config/load-pipeline-config.ts';
import type { CallsRequest, CallsResult } from '../../src/execution/matrix/matrix-engine.ts';

/**
 * The messages between `refinery bench mokav` and its helper threads (structured clone). The bench hands out one
 * pair at a time (`run`), answers the helper's executions with its own engine and cache (`exec`), and gets each
 * pair's outcome back (`done`), so a helper holds no engine, no Python worker and no cache of its own.
 */
export type ToHelper<Job> =
  | { type: 'run'; id: number; job: Job }
  | { type: 'exec-result'; id: number; result: CallsResult }
  | { type: 'exec-error'; id: number; message: string };

export type FromHelper<Outcome> =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: Outcome }
  | { type: 'failed'; id: number; message: string }
  | { type: 'exec'; id: number; request: CallsRequest };

/** What a helper thread starts with: the bench's config, already loaded (the helper reads no file of it). */
export interface HelperSetup {
  loaded: LoadedConfig;
  set: string[];
}

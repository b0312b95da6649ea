import type { CallsRequest, CallsResult } from '../../src/execution/matrix/matrix-engine.ts';

/**
 * The messages between `refinery bench mokav` and its helper processes (IPC, v8 serialization). The parent hands
 * out one pair at a time (`run`), answers the helper's executions with its own engine and cache (`exec`), and
 * gets each pair's outcome back (`done`), so a helper holds no engine, no Python worker and no cache of its own.
 */
export type ToWorker<Job> =
  | { type: 'run'; id: number; job: Job }
  | { type: 'exec-result'; id: number; result: CallsResult }
  | { type: 'exec-error'; id: number; message: string };

export type FromWorker<Outcome> =
  | { type: 'ready'; cpuMicros: number }
  | { type: 'done'; id: number; outcome: Outcome; cpuMicros: number }
  | { type: 'failed'; id: number; message: string; cpuMicros: number }
  | { type: 'exec'; id: number; request: CallsRequest };

/** Set (to '1') in a helper's environment; with an IPC channel it makes `refinery bench mokav` serve its parent. */
export const BENCH_WORKER_ENV = 'REFINERY_MOKAV_BENCH_WORKER';

/** Whether this process is a helper that its parent bench started. */
export function isBenchWorker(): boolean {
  return process.env[BENCH_WORKER_ENV] === '1' && typeof process.send === 'function';
}

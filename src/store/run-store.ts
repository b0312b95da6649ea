import type { SharedResultBackend } from '../execution/cache/result-cache.ts';
import type { CheckpointMark, RunCheckpointer } from '../runtime/run-checkpointer.ts';
import type { FinalEvent } from '../trajectory/trajectory-events.ts';
import type { ParsedTrajectory } from '../trajectory/trajectory-reader.ts';
import type { TrajectorySink } from '../trajectory/trajectory-sink.ts';

/** A run a store holds: its id, when it started, its events, and its final status (undefined: unfinished). */
export interface StoredRun {
  runId: string;
  startedAt: string;
  events: number;
  status: string | undefined;
}

/**
 * Where runs keep their state, so that any process (a worker on another machine) can continue, view or replay
 * them by run id: `openStore(url | dir)` (open-store.ts). A directory is today's layout (`<dir>/<run>.jsonl`
 * and its SQLite checkpoints beside it); `postgres://` keeps trajectories, LangGraph checkpoints and the shared
 * execution cache in PostgreSQL.
 */
export interface RunStore {
  readonly kind: 'directory' | 'postgres';
  /** The store for messages (a URL without its password, or the directory). */
  readonly label: string;
  /** Where run `runId`'s trajectory is written: a JSONL file path (directory) or a sink. */
  trajectoryTarget(runId: string): string | TrajectorySink;
  /** Run `runId`'s events, as `readTrajectory` gives them (undefined: the store has no such run). */
  readTrajectory(runId: string): Promise<ParsedTrajectory | undefined>;
  listRuns(): Promise<StoredRun[]>;
  /**
   * The checkpoints of run `runId`. `durable` resolves once the trajectory events written so far are stored;
   * a checkpoint is saved only after it, so its mark never points past the stored events.
   */
  openCheckpointer(runId: string, mark: () => CheckpointMark, durable?: () => Promise<void>): Promise<RunCheckpointer>;
  /**
   * `none`: no such run; `unfinished`: resume it; anything else: the status it ended with. `firstStart`: the caller
   * knows no run `runId` was ever started (a queued job's first start in a new batch), so a store may answer `none`
   * without a read; should a run of that id exist anyway, the new run is refused at its first write (a run id used
   * twice) before any node runs.
   */
  runState(runId: string, firstStart?: boolean): Promise<'none' | 'unfinished' | (string & {})>;
  /**
   * Run `runId`'s final event when its last stored event is one (undefined: no such run, or unfinished), as
   * `readTrajectory` gives it, without reading the rest of the trajectory.
   */
  finalEvent(runId: string): Promise<FinalEvent | undefined>;
  /** The shared execution cache (undefined: only each process's own disk cache). */
  readonly resultBackend: SharedResultBackend | undefined;
  /** Waits for pending writes, then lets go of the store's connections. */
  close(): Promise<void>;
}

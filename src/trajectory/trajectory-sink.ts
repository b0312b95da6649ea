import type { TrajectoryEvent } from './trajectory-events.ts';

/**
 * Where a {@link TrajectoryWriter} puts events other than a JSONL file (the file is the writer's own sync path):
 * e.g. PostgreSQL (src/store/). `append` is called in seq order with the event and its redacted JSON line and
 * must keep that order; `durable` resolves once every appended event is stored (it rejects if one could not be).
 */
export interface TrajectorySink {
  /** For messages and the run result: where the events go (e.g. `postgres://host/db run <id>`). */
  readonly label: string;
  append(event: TrajectoryEvent, line: string): void;
  durable(): Promise<void>;
  /** Stores what is pending, then lets go of the sink. */
  close(): Promise<void>;
}

import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import type { TrajectorySink } from '../trajectory/trajectory-sink.ts';
import type { PostgresRunWrites } from './postgres-run-writes.ts';

/**
 * A run's trajectory events into `refinery_trajectory_events`, one row per event (its redacted JSON line), in seq
 * order, through the run's {@link PostgresRunWrites}: the events appended during a step go with the checkpoint
 * saved after it (one statement), or on their own once the event loop is free; `durable` sends them at once (a
 * model reply is stored before the run goes on). The stored events are always a prefix of the run's (a killed
 * writer leaves a valid one).
 */
export class PostgresTrajectorySink implements TrajectorySink {
  private closed = false;
  /** The line of the last event appended when it is the run's final event. */
  private finalLine: string | undefined;

  constructor(
    private readonly writes: PostgresRunWrites,
    readonly runId: string,
    readonly label: string,
    /** Lets go of the run's writes once the last events are stored; given the final event's line when one was. */
    private readonly release: (finalLine: string | undefined) => void = () => {},
  ) {}

  append(event: TrajectoryEvent, line: string): void {
    this.finalLine = event.type === 'final' ? line : undefined;
    this.writes.addEvent({ seq: event.seq, type: event.type, line });
  }

  durable(): Promise<void> {
    return this.writes.flush();
  }

  async close(): Promise<void> {
    let stored = false;
    try {
      await this.durable();
      stored = true;
    } finally {
      if (!this.closed) this.release(stored ? this.finalLine : undefined);
      this.closed = true;
    }
  }
}

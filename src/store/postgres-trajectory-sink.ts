import type pg from 'pg';
import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import type { TrajectorySink } from '../trajectory/trajectory-sink.ts';
import { withReconnect } from './postgres-connection.ts';
import { StoreError } from './store-error.ts';

/** Events sent in one INSERT at most. */
const BATCH = 200;

/**
 * A run's trajectory events into `refinery_trajectory_events`, one row per event (its redacted JSON line), in seq
 * order: one insert at a time, each holding every event appended meanwhile, so the stored events are always a
 * prefix of the run's (a killed writer leaves a valid one). An insert the server dropped (a restart) is sent
 * again; ON CONFLICT makes that harmless when the first one had landed.
 */
export class PostgresTrajectorySink implements TrajectorySink {
  private queue: { seq: number; type: string; line: string }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: Error | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly runId: string,
    readonly label: string,
  ) {}

  append(event: TrajectoryEvent, line: string): void {
    this.queue.push({ seq: event.seq, type: event.type, line });
    if (this.scheduled) return;
    this.scheduled = true;
    this.chain = this.chain.then(() => this.drain());
  }

  async durable(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  close(): Promise<void> {
    return this.durable();
  }

  /**
   * Rows already there: the same events when an insert whose reply was lost is sent again; anything else is
   * another run under the same id, refused rather than mixed with it.
   */
  private async checkSameEvents(batch: { seq: number; line: string }[]): Promise<void> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ seq: number; line: string }>(
        'SELECT seq, line FROM refinery_trajectory_events WHERE run_id = $1 AND seq = ANY($2::int[])',
        [this.runId, batch.map((e) => e.seq)],
      ),
    );
    const stored = new Map(rows.map((row) => [row.seq, row.line]));
    const other = batch.find((e) => stored.get(e.seq) !== e.line);
    if (other)
      throw new StoreError(
        this.label,
        `the store already holds a different event ${other.seq} of run ${this.runId} (a run id used twice)`,
      );
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue.splice(0, BATCH);
      try {
        const inserted = await withReconnect(() =>
          this.pool.query(
            `INSERT INTO refinery_trajectory_events (run_id, seq, type, line)
             SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])
             ON CONFLICT (run_id, seq) DO NOTHING`,
            [this.runId, batch.map((e) => e.seq), batch.map((e) => e.type), batch.map((e) => e.line)],
          ),
        );
        if ((inserted.rowCount ?? 0) < batch.length) await this.checkSameEvents(batch);
      } catch (error) {
        // Later events are not stored either (the stored events stay a prefix); the run learns it from durable().
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.queue = [];
      }
    }
  }
}

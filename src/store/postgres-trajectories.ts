import type pg from 'pg';
import { type ParsedTrajectory, parseTrajectory } from '../trajectory/trajectory-reader.ts';
import { withReconnect } from './postgres-connection.ts';
import type { StoredRun } from './run-store.ts';

/** Reads the trajectories a {@link PostgresTrajectorySink} wrote, as the JSONL reader gives them. */
export class PostgresTrajectories {
  constructor(
    private readonly pool: pg.Pool,
    private readonly label: string,
  ) {}

  labelOf(runId: string): string {
    return `${this.label} run ${runId}`;
  }

  /** The run's events in seq order (undefined: no such run); the same events `readTrajectory` gives for its file. */
  async read(runId: string): Promise<ParsedTrajectory | undefined> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ line: string }>('SELECT line FROM refinery_trajectory_events WHERE run_id = $1 ORDER BY seq', [
        runId,
      ]),
    );
    if (rows.length === 0) return undefined;
    return parseTrajectory(rows.map((row) => `${row.line}\n`).join(''), this.labelOf(runId));
  }

  /** Every run in the store, oldest first, with its last event's type and status. */
  async list(): Promise<StoredRun[]> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ run_id: string; started: Date; last_seq: number; last_line: string; last_type: string }>(
        `SELECT h.run_id, h.written_at AS started, l.seq AS last_seq, l.line AS last_line, l.type AS last_type
         FROM refinery_trajectory_events h
         CROSS JOIN LATERAL (SELECT seq, type, line FROM refinery_trajectory_events e
                             WHERE e.run_id = h.run_id ORDER BY seq DESC LIMIT 1) l
         WHERE h.seq = 0 ORDER BY h.written_at, h.run_id`,
      ),
    );
    return rows.map((row) => ({
      runId: row.run_id,
      startedAt: row.started.toISOString(),
      events: row.last_seq + 1,
      status:
        row.last_type === 'final' ? String((JSON.parse(row.last_line) as { status?: unknown }).status) : undefined,
    }));
  }
}

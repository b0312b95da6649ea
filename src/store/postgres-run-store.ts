import { settleSharedResultWrites } from '../execution/cache/result-cache.ts';
import { PostgresCheckpoints } from './postgres-checkpoints.ts';
import { openPgPool, poolSizeOf, redactUrl, withReconnect } from './postgres-connection.ts';
import { PostgresResultBackend } from './postgres-result-backend.ts';
import { ensureStoreSchema } from './postgres-schema.ts';
import { PostgresTrajectories } from './postgres-trajectories.ts';
import { PostgresTrajectorySink } from './postgres-trajectory-sink.ts';
import type { RunStore } from './run-store.ts';
import { StoreError } from './store-error.ts';

/**
 * PostgreSQL as a run store (`--store postgres://...`): one connection pool per process for the trajectory
 * events, LangGraph's checkpoints and the shared execution cache; the tables are created on first use.
 */
export async function openPostgresStore(url: string): Promise<RunStore> {
  const { url: server, poolSize } = poolSizeOf(url);
  const label = redactUrl(server);
  if (poolSize === undefined)
    throw new StoreError(
      label,
      'pool_size in the URL must be a whole number of connections, at least 2',
      'invalid-input',
    );
  const pool = openPgPool(server, poolSize);
  const checkpoints = new PostgresCheckpoints(pool, label);
  try {
    await ensureStoreSchema(pool, () => checkpoints.setup());
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(label, `cannot open: ${(error as Error).message}`);
  }
  const trajectories = new PostgresTrajectories(pool, label);
  const sinks = new Set<PostgresTrajectorySink>();
  let closed = false;
  return {
    kind: 'postgres',
    label,
    trajectoryTarget(runId) {
      // Its events and its checkpoints share the run's writes (one statement per step); let go when it closes.
      const sink: PostgresTrajectorySink = new PostgresTrajectorySink(
        checkpoints.hold(runId),
        runId,
        trajectories.labelOf(runId),
        () => {
          checkpoints.release(runId);
          sinks.delete(sink);
        },
      );
      sinks.add(sink);
      return sink;
    },
    readTrajectory: (runId) => trajectories.read(runId),
    listRuns: () => trajectories.list(),
    async openCheckpointer(runId, mark, durable) {
      return checkpoints.open(runId, mark, durable);
    },
    async runState(runId) {
      const { rows } = await withReconnect(() =>
        pool.query<{ type: string; line: string }>(
          'SELECT type, line FROM refinery_trajectory_events WHERE run_id = $1 ORDER BY seq DESC LIMIT 1',
          [runId],
        ),
      );
      const last = rows[0];
      if (!last) return 'none';
      if (last.type !== 'final') return 'unfinished';
      const status = String((JSON.parse(last.line) as { status?: unknown }).status);
      return status === 'cancelled' ? 'unfinished' : status;
    },
    resultBackend: new PostgresResultBackend(pool, label),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...sinks].map((sink) => sink.durable()));
      await checkpoints.settle().catch(() => undefined);
      await settleSharedResultWrites();
      await pool.end();
    },
  };
}

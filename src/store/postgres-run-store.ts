import { settleSharedResultWrites } from '../execution/cache/result-cache.ts';
import { type FinalEvent, trajectoryEvent } from '../trajectory/trajectory-events.ts';
import { PostgresCheckpoints } from './postgres-checkpoints.ts';
import { openPgPool, poolSizeOf, redactUrl, withReconnect } from './postgres-connection.ts';
import { PostgresResultBackend } from './postgres-result-backend.ts';
import { ensureStoreSchema } from './postgres-schema.ts';
import { PostgresTrajectories } from './postgres-trajectories.ts';
import { PostgresTrajectorySink } from './postgres-trajectory-sink.ts';
import type { RunStore } from './run-store.ts';
import { StoreError } from './store-error.ts';

/** Runs whose final event this process keeps for `finalEvent` (a worker reads its run's at once). */
const ENDED_KEPT = 64;

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
  /** The run's last stored event (one row; a named statement, planned once per connection). */
  const lastEvent = async (runId: string) =>
    (
      await withReconnect(() =>
        pool.query<{ type: string; line: string }>({
          name: 'refinery_last_event',
          text: 'SELECT type, line FROM refinery_trajectory_events WHERE run_id = $1 ORDER BY seq DESC LIMIT 1',
          values: [runId],
        }),
      )
    ).rows[0];
  const sinks = new Set<PostgresTrajectorySink>();
  /**
   * The final event's line of runs whose sink in this process stored it (the run's last row), for `finalEvent`
   * (a queue worker's row of the run it just ran) without a read; the latest {@link ENDED_KEPT} runs.
   */
  const ended = new Map<string, string>();
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
        (finalLine) => {
          checkpoints.release(runId);
          sinks.delete(sink);
          ended.delete(runId);
          if (finalLine === undefined) return;
          if (ended.size >= ENDED_KEPT) ended.delete(ended.keys().next().value!);
          ended.set(runId, finalLine);
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
    async runState(runId, firstStart = false) {
      if (firstStart) {
        checkpoints.markFresh(runId, true);
        return 'none';
      }
      const last = await lastEvent(runId);
      // No events: no checkpoints either (a checkpoint is stored with the events before its mark, the header
      // first), so the run that starts now need not read its thread.
      checkpoints.markFresh(runId, !last);
      if (!last) return 'none';
      if (last.type !== 'final') return 'unfinished';
      const status = String((JSON.parse(last.line) as { status?: unknown }).status);
      return status === 'cancelled' ? 'unfinished' : status;
    },
    async finalEvent(runId) {
      const kept = ended.get(runId);
      ended.delete(runId);
      const line = kept ?? (await lastEvent(runId))?.line;
      if (line === undefined) return undefined;
      // As readTrajectory gives it (the event schema's parse).
      const event = trajectoryEvent.safeParse(JSON.parse(line));
      return event.success && event.data.type === 'final' ? (event.data as FinalEvent) : undefined;
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

import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointMark } from '../../src/runtime/run-checkpointer.ts';
import { openStore } from '../../src/store/open-store.ts';
import { PostgresCheckpoints } from '../../src/store/postgres-checkpoints.ts';
import { DEFAULT_POOL_SIZE, openPgPool, poolSizeOf } from '../../src/store/postgres-connection.ts';
import { ensureStoreSchema } from '../../src/store/postgres-schema.ts';
import { PostgresTrajectorySink } from '../../src/store/postgres-trajectory-sink.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// The store's writes per graph step (src/store/postgres-run-writes.ts): a step's checkpoint, its blobs, the
// step's task writes and the trajectory events appended meanwhile go in one statement; a checkpoint is never
// stored before the events its mark counts; a run id used twice stores nothing of the second run's statement;
// the pool opens at most `pool_size` connections.
let db: FreshDatabase | undefined;
let pool: pg.Pool;
let checkpoints: PostgresCheckpoints;
let reader: pg.Client;
beforeAll(async () => {
  db = await freshDatabase();
  if (!db) return;
  pool = openPgPool(db.url);
  checkpoints = new PostgresCheckpoints(pool, 'test');
  await ensureStoreSchema(pool, () => checkpoints.setup());
  reader = new pg.Client({ connectionString: db.url });
  await reader.connect();
}, 60_000);
afterAll(async () => {
  await reader?.end();
  await pool?.end();
  await db?.drop();
});

const State = Annotation.Root({
  visited: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
});

/** `nodes` nodes in a row, each writing two trajectory events. */
function chain(nodes: number, writer: TrajectoryWriter) {
  let graph = new StateGraph(State) as unknown as StateGraph<
    typeof State.spec,
    typeof State.State,
    typeof State.Update,
    string
  >;
  for (let i = 0; i < nodes; i++)
    graph = graph.addNode(`n${i}`, async () => {
      writer.write({ type: 'node_enter', node: `n${i}`, step: i });
      writer.write({ type: 'node_exit', node: `n${i}`, step: i, update: { i }, durationMs: 0 });
      return { visited: [`n${i}`] };
    });
  graph = graph.addEdge(START, 'n0');
  for (let i = 1; i < nodes; i++) graph = graph.addEdge(`n${i - 1}`, `n${i}`);
  return graph.addEdge(`n${nodes - 1}`, END);
}

const markAt = (writer: TrajectoryWriter) => (): CheckpointMark => ({
  seq: writer.nextSeq,
  totals: { iterations: 0, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: 0 },
  nodeSteps: 0,
  modelCalls: 0,
});

async function storedEvents(runId: string): Promise<number> {
  const { rows } = await reader.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM refinery_trajectory_events WHERE run_id = $1',
    [runId],
  );
  return rows[0]!.n;
}

/** A run as the spine makes one: its trajectory into the store, its checkpoints marked with the writer's seq. */
function openRun(runId: string) {
  const sink = new PostgresTrajectorySink(checkpoints.hold(runId), runId, `test run ${runId}`, () =>
    checkpoints.release(runId),
  );
  const writer = new TrajectoryWriter(sink);
  writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: {}, task: { id: runId } });
  const checkpointer = checkpoints.open(runId, markAt(writer), () => writer.durable());
  return { writer, checkpointer, writes: checkpoints.of(runId) };
}

describe('PostgreSQL store: one statement per graph step', () => {
  it('stores each checkpoint with the events before its mark, in about one statement per checkpoint', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const { writer, checkpointer, writes } = openRun('steps');
    // Once each put has returned, the events its mark counts are stored (read from another connection).
    const seen: { mark: number; stored: number }[] = [];
    const put = checkpointer.saver.put.bind(checkpointer.saver);
    checkpointer.saver.put = async (config, checkpoint, metadata, versions) => {
      const mark = writer.nextSeq;
      const saved = await put(config, checkpoint, metadata, versions);
      seen.push({ mark, stored: await storedEvents('steps') });
      return saved;
    };
    try {
      const graph = chain(5, writer).compile({ checkpointer: checkpointer.saver });
      await graph.invoke({}, { configurable: { thread_id: 'steps' }, durability: 'sync' });
    } finally {
      checkpointer.saver.put = put;
    }
    await writer.closeDurably();
    expect(seen.length).toBe(7); // the input, the start, five nodes
    for (const { mark, stored } of seen) expect(stored).toBeGreaterThanOrEqual(mark);
    expect(await storedEvents('steps')).toBe(1 + 5 * 2);
    const { rows } = await reader.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM refinery_langgraph.checkpoints WHERE thread_id = 'steps'`,
    );
    expect(rows[0]!.n).toBe(seen.length);
    // One statement per checkpoint, the header's and the last events' at most besides (per row, as LangGraph's
    // saver writes them, it would be a transaction per put and per task's writes and an insert per event burst).
    expect(writes.statements).toBeGreaterThanOrEqual(seen.length);
    expect(writes.statements).toBeLessThanOrEqual(seen.length + 2);
    await checkpointer.remove();
    expect(await checkpointer.latest('steps')).toBeUndefined();
  });

  it('a run id used twice: the second run stores neither its events nor its checkpoint', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const first = openRun('twice');
    const graph = chain(1, first.writer).compile({ checkpointer: first.checkpointer.saver });
    await graph.invoke({}, { configurable: { thread_id: 'twice' }, durability: 'sync' });
    await first.writer.closeDurably();
    await first.checkpointer.close();
    const before = (await first.checkpointer.latest('twice'))!;
    const stored = await storedEvents('twice');
    await new Promise((resolve) => setTimeout(resolve, 5)); // the second header's time differs
    const second = openRun('twice');
    const again = chain(1, second.writer).compile({ checkpointer: second.checkpointer.saver });
    const error = await again.invoke({}, { configurable: { thread_id: 'twice' }, durability: 'sync' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(String(error)).toMatch(/already holds a different event 0 of run twice/);
    await expect(second.writer.durable()).rejects.toThrow(/run id used twice/);
    // Reads of the thread fail while the failed run holds it (its checkpoints would be read without its writes).
    await expect(first.checkpointer.latest('twice')).rejects.toThrow(/run id used twice/);
    await second.writer.closeDurably().catch(() => undefined);
    expect(await storedEvents('twice')).toBe(stored);
    expect(await first.checkpointer.latest('twice')).toEqual(before);
    await first.checkpointer.remove();
  });
});

describe('PostgreSQL store: connections per process', () => {
  it('reads pool_size from the URL and leaves the rest of it to the driver', () => {
    expect(poolSizeOf('postgres://h/db')).toEqual({ url: 'postgres://h/db', poolSize: DEFAULT_POOL_SIZE });
    expect(poolSizeOf('postgres://h/db?pool_size=3')).toEqual({ url: 'postgres://h/db', poolSize: 3 });
    expect(poolSizeOf('postgres://h/db?sslmode=disable&pool_size=5&application_name=w')).toEqual({
      url: 'postgres://h/db?sslmode=disable&application_name=w',
      poolSize: 5,
    });
    expect(poolSizeOf('postgres://h/db?pool_size=1').poolSize).toBeUndefined();
    expect(poolSizeOf('postgres://h/db?pool_size=two').poolSize).toBeUndefined();
  });

  it('refuses a bad pool_size with exit 2, naming the parameter', async () => {
    const error = await openStore('postgres://127.0.0.1:1/none?pool_size=1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).exitStatus).toBe('invalid-input');
    expect((error as StoreError).message).toMatch(/pool_size/);
  });

  it('opens at most pool_size connections however many runs write at once', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const store = await openStore(`${db.url}?pool_size=2&application_name=refinery-pool-test`);
    try {
      await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const runId = `pooled-${i}`;
          const writer = new TrajectoryWriter(store.trajectoryTarget(runId));
          writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: {}, task: {} });
          const checkpointer = await store.openCheckpointer(runId, markAt(writer));
          const graph = chain(3, writer).compile({ checkpointer: checkpointer.saver });
          await graph.invoke({}, { configurable: { thread_id: runId }, durability: 'sync' });
          await writer.closeDurably();
          await checkpointer.remove();
        }),
      );
      const { rows } = await reader.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'refinery-pool-test'`,
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
      expect(rows[0]!.n).toBeLessThanOrEqual(2);
      for (let i = 0; i < 6; i++) expect((await store.readTrajectory(`pooled-${i}`))?.events.length).toBe(7);
    } finally {
      await store.close();
    }
  });
});

import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointMark, RunCheckpointer } from '../../src/runtime/run-checkpointer.ts';
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

async function storedCheckpoints(runId: string): Promise<number> {
  const { rows } = await reader.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM refinery_langgraph.checkpoints WHERE thread_id = $1',
    [runId],
  );
  return rows[0]!.n;
}

/** In one snapshot: the largest mark of the run's stored checkpoints (0 with none) and its stored events. */
async function storedNow(runId: string): Promise<{ marked: number; stored: number }> {
  const { rows } = await reader.query<{ marked: number; stored: number }>(
    `SELECT coalesce((SELECT max((metadata->'refinery'->>'seq')::int) FROM refinery_langgraph.checkpoints
                      WHERE thread_id = $1), 0) AS marked,
            (SELECT count(*)::int FROM refinery_trajectory_events WHERE run_id = $1) AS stored`,
    [runId],
  );
  return rows[0]!;
}

/** Calls `observe` each time a put of the checkpointer's saver has returned, keeping what it gives; `restore` undoes it. */
function afterEachPut<T>(checkpointer: RunCheckpointer, observe: () => Promise<T>): { seen: T[]; restore: () => void } {
  const seen: T[] = [];
  const saver = checkpointer.saver;
  const put = saver.put.bind(saver);
  saver.put = async (config, checkpoint, metadata, versions) => {
    const saved = await put(config, checkpoint, metadata, versions);
    seen.push(await observe());
    return saved;
  };
  return { seen, restore: () => (saver.put = put) };
}

/** A run as the spine makes one: its trajectory into the store, its checkpoints marked with the writer's seq. */
function openRun(runId: string, store = checkpoints) {
  const sink = new PostgresTrajectorySink(store.hold(runId), runId, `test run ${runId}`, () => store.release(runId));
  const writer = new TrajectoryWriter(sink);
  writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: {}, task: { id: runId } });
  const checkpointer = store.open(runId, markAt(writer), () => writer.durable());
  return { writer, checkpointer, writes: store.of(runId) };
}

describe('PostgreSQL store: one statement per graph step', () => {
  it('never stores a checkpoint ahead of the events its mark counts, and stores them all by the run end', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const { writer, checkpointer, writes } = openRun('steps');
    // After each put has returned (the run's own checkpoints are acknowledged once queued), what another
    // connection sees: the stored checkpoints' largest mark is never past the stored events.
    const { seen, restore } = afterEachPut(checkpointer, () => storedNow('steps'));
    try {
      const graph = chain(5, writer).compile({ checkpointer: checkpointer.saver });
      await graph.invoke({}, { configurable: { thread_id: 'steps' }, durability: 'sync' });
    } finally {
      restore();
    }
    expect(seen.length).toBe(7); // the input, the start, five nodes
    for (const { marked, stored } of seen) expect(marked).toBeLessThanOrEqual(stored);
    await writer.durable();
    expect(await storedEvents('steps')).toBe(1 + 5 * 2);
    // The checkpoints saved between two statements: only the latest is stored (a resume reads no other).
    const stored = await storedCheckpoints('steps');
    expect(stored).toBeGreaterThanOrEqual(1);
    expect(stored).toBeLessThanOrEqual(seen.length);
    expect((await checkpointer.latest('steps'))?.values).toEqual({ visited: ['n0', 'n1', 'n2', 'n3', 'n4'] });
    // At most one statement per checkpoint and the header's (LangGraph's own saver: a transaction per put and per
    // task's writes, and an insert per event burst).
    expect(writes.statements).toBeLessThanOrEqual(seen.length + 1);
    await writer.closeDurably();
    await checkpointer.remove();
    expect(await checkpointer.latest('steps')).toBeUndefined();
  });

  it("sends a run's checkpoints queued meanwhile in one statement (the latest of them), and its end with the thread's deletion in one", async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    // Rows nobody waits for wait a minute here (5 ms in a run), so only the flushes send them: a graph whose run
    // waited for each checkpoint or task write (LangGraph's `sync` durability awaits both) would time out.
    const grouped = new PostgresCheckpoints(pool, 'test', 60_000);
    const { writer, checkpointer, writes } = openRun('grouped', grouped);
    const graph = chain(3, writer).compile({ checkpointer: checkpointer.saver });
    await graph.invoke({}, { configurable: { thread_id: 'grouped' }, durability: 'sync' });
    // The first checkpoint is waited for (its statement checks the run's first events against the store: a run id
    // used twice fails before any node runs), and carries the header and the input's writes; the four checkpoints
    // after it are only queued, and go in one statement.
    expect(writes.statements).toBe(1);
    expect(await storedCheckpoints('grouped')).toBe(1);
    await writer.durable();
    expect(writes.statements).toBe(2);
    // Of the four, the latest (with the blobs it points at): what a resume reads, the graph's last state.
    expect(await storedCheckpoints('grouped')).toBe(2);
    expect((await checkpointer.latest('grouped'))?.values).toEqual({ visited: ['n0', 'n1', 'n2'] });
    expect(await storedEvents('grouped')).toBe(1 + 3 * 2);
    // The run's end as the spine sends it: the final event, then the checkpoints' removal, then the trajectory
    // closed: one statement, which stores the final event and deletes every checkpoint row of the thread.
    await graph.invoke({}, { configurable: { thread_id: 'grouped' }, durability: 'sync' }); // more checkpoints queued
    const end = writes.statements;
    writer.write({ type: 'final', status: 'passed', exitCode: 0, result: null, totals: markAt(writer)().totals });
    await Promise.all([checkpointer.remove(), writer.closeDurably()]);
    expect(writes.statements - end).toBe(1);
    expect(await storedCheckpoints('grouped')).toBe(0);
    const { rows } = await reader.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM refinery_langgraph.checkpoint_blobs WHERE thread_id = 'grouped')
            + (SELECT count(*) FROM refinery_langgraph.checkpoint_writes WHERE thread_id = 'grouped') AS n`,
    );
    expect(Number(rows[0]!.n)).toBe(0);
    const last = await reader.query<{ type: string; seq: number }>(
      `SELECT type, seq FROM refinery_trajectory_events WHERE run_id = 'grouped' ORDER BY seq DESC LIMIT 1`,
    );
    expect(last.rows[0]).toEqual({ type: 'final', seq: writer.nextSeq - 1 });
  });

  it("waits for a checkpoint's storage when the run's trajectory goes elsewhere (LangGraph's saver contract)", async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    // No sink holds the thread: each put resolves once stored, seen by another connection at once.
    const writer = new TrajectoryWriter(null);
    const checkpointer = checkpoints.open('unheld', markAt(writer));
    const { seen: counts, restore } = afterEachPut(checkpointer, () => storedCheckpoints('unheld'));
    try {
      await chain(2, writer)
        .compile({ checkpointer: checkpointer.saver })
        .invoke({}, { configurable: { thread_id: 'unheld' }, durability: 'sync' });
    } finally {
      restore();
    }
    expect(counts).toEqual([1, 2, 3, 4]);
    await checkpointer.remove();
    expect(await storedCheckpoints('unheld')).toBe(0);
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

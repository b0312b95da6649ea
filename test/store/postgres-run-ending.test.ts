import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointMark } from '../../src/runtime/run-checkpointer.ts';
import { openStore } from '../../src/store/open-store.ts';
import { PostgresCheckpoints } from '../../src/store/postgres-checkpoints.ts';
import { openPgPool } from '../../src/store/postgres-connection.ts';
import { ensureStoreSchema } from '../../src/store/postgres-schema.ts';
import { PostgresTrajectorySink } from '../../src/store/postgres-trajectory-sink.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// What a queue worker reads around a run in the PostgreSQL store, and no more: the run's final event (the results
// row) without its whole trajectory, the same event readTrajectory gives, whether this process stored it or
// another; and a new run's first look for its latest checkpoint, answered without a query when the run is known
// to have no events (hence no checkpoints), while a thread written since is read from the server.
let db: FreshDatabase | undefined;
let store: RunStore;
let other: RunStore;
let pool: pg.Pool;
let checkpoints: PostgresCheckpoints;
beforeAll(async () => {
  db = await freshDatabase();
  if (!db) return;
  store = await openStore(db.url);
  other = await openStore(db.url);
  pool = openPgPool(db.url);
  checkpoints = new PostgresCheckpoints(pool, 'test');
  await ensureStoreSchema(pool, () => checkpoints.setup());
}, 60_000);
afterAll(async () => {
  await store?.close();
  await other?.close();
  await pool?.end();
  await db?.drop();
});

const totals = { iterations: 1, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: 3 };

async function writeRun(target: RunStore, runId: string, final: boolean): Promise<void> {
  const writer = new TrajectoryWriter(target.trajectoryTarget(runId), ['sk-ending-secret-42']);
  writer.write({ type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: {}, task: { id: runId } });
  writer.write({ type: 'node_enter', node: 'coder', step: 1 });
  if (final)
    writer.write({
      type: 'final',
      status: 'failed',
      exitCode: 1,
      result: { answer: 'uses sk-ending-secret-42' },
      totals,
      error: { name: 'Error', message: 'no' },
    });
  await writer.closeDurably();
}

describe('PostgreSQL store: a run ending', () => {
  it("gives a run's final event as readTrajectory does, from this process's sink or from the stored row", async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    await writeRun(store, 'ended', true);
    const last = (await other.readTrajectory('ended'))!.events.at(-1);
    expect(last?.type).toBe('final');
    expect(JSON.stringify(last)).toContain('[REDACTED]');
    // The process that stored it, then (kept once) the row; another process: the row.
    expect(await store.finalEvent('ended')).toEqual(last);
    expect(await store.finalEvent('ended')).toEqual(last);
    expect(await other.finalEvent('ended')).toEqual(last);
    // An unfinished run and an unknown one have none.
    await writeRun(store, 'running', false);
    expect(await store.finalEvent('running')).toBeUndefined();
    expect(await other.finalEvent('running')).toBeUndefined();
    expect(await store.finalEvent('nowhere')).toBeUndefined();
    expect(await store.runState('ended')).toBe('failed');
    expect(await store.runState('running')).toBe('unfinished');
    expect(await store.runState('nowhere')).toBe('none');
  });

  it("answers a queued job's first start without a read, and is refused when such a run exists after all", async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    // Told it is a first start, the store does not look: `none` even for a run it holds (so no read was made).
    // Wrongly told so, the new run's first write is refused as a run id used twice, nothing mixed in.
    await writeRun(store, 'exists', false);
    expect(await store.runState('exists')).toBe('unfinished');
    expect(await store.runState('exists', true)).toBe('none');
    const error = await writeRun(store, 'exists', true).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/already holds a different event 0 of run exists/);
    expect((await other.readTrajectory('exists'))!.events.map((e) => e.type)).toEqual(['header', 'node_enter']);
    expect(await store.runState('exists')).toBe('unfinished');
  });

  it("answers a fresh run's first checkpoint read without a query, and reads the thread once written", async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    let acquired = 0;
    pool.on('acquire', () => acquired++);
    const runId = 'fresh';
    const sink = new PostgresTrajectorySink(checkpoints.hold(runId), runId, `test run ${runId}`, () =>
      checkpoints.release(runId),
    );
    const writer = new TrajectoryWriter(sink);
    writer.write({
      type: 'header',
      schemaVersion: 1,
      refineryVersion: '0.0.0',
      runId,
      config: {},
      task: { id: runId },
    });
    const mark = (): CheckpointMark => ({ seq: writer.nextSeq, totals, nodeSteps: 0, modelCalls: 0 });
    const checkpointer = checkpoints.open(runId, mark, () => writer.durable());
    // The header stored first, so that only the reads below take a connection (it would otherwise go 5 ms after
    // it was written, maybe during a read).
    await writer.durable();
    // Not known to be fresh: read from the server.
    let before = acquired;
    expect(await checkpointer.latest(runId)).toBeUndefined();
    expect(acquired).toBe(before + 1);
    checkpoints.markFresh(runId, true);
    before = acquired;
    expect(await checkpointer.latest(runId)).toBeUndefined();
    expect(acquired).toBe(before);
    // A step's checkpoint written: the thread is read from the server again, and holds it.
    const State = Annotation.Root({ n: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }) });
    const graph = new StateGraph(State)
      .addNode('one', async () => ({ n: 1 }))
      .addEdge(START, 'one')
      .addEdge('one', END)
      .compile({ checkpointer: checkpointer.saver });
    await graph.invoke({}, { configurable: { thread_id: runId }, durability: 'sync' });
    expect(checkpoints.isFresh(runId)).toBe(false);
    before = acquired;
    expect((await checkpointer.latest(runId))?.values).toEqual({ n: 1 });
    expect(acquired).toBeGreaterThan(before);
    await writer.closeDurably();
    await checkpointer.remove();
  });
});

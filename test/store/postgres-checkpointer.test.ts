import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointMark } from '../../src/runtime/run-checkpointer.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// The PostgreSQL checkpointer keeps the RunCheckpointer contract the SQLite one keeps (test/runtime): each
// checkpoint carries the run's mark as it stood when LangGraph saved it, latest() gives the last one with the
// state's values, close() keeps the checkpoints and remove() deletes them; several runs share one saver.
let db: FreshDatabase | undefined;
let store: RunStore;
beforeAll(async () => {
  db = await freshDatabase();
  if (db) store = await openStore(db.url);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const State = Annotation.Root({
  visited: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
});

/** A two-node graph whose nodes bump a counter the mark reads, so each checkpoint's mark says which node ran. */
function twoNodes(counter: { steps: number }) {
  return new StateGraph(State)
    .addNode('first', () => {
      counter.steps++;
      return { visited: ['first'] };
    })
    .addNode('second', () => {
      counter.steps++;
      return { visited: ['second'] };
    })
    .addEdge(START, 'first')
    .addEdge('first', 'second')
    .addEdge('second', END);
}

const markOf = (counter: { steps: number }) => (): CheckpointMark => ({
  seq: 10 * counter.steps,
  totals: { iterations: 0, modelCalls: counter.steps, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: 0 },
  nodeSteps: counter.steps,
  modelCalls: counter.steps,
});

async function runGraph(runId: string, counter: { steps: number }, durable?: () => Promise<void>) {
  const checkpointer = await store.openCheckpointer(runId, markOf(counter), durable);
  const graph = twoNodes(counter).compile({ checkpointer: checkpointer.saver });
  await graph.invoke({}, { configurable: { thread_id: runId }, durability: 'sync' });
  return checkpointer;
}

describe('PostgreSQL checkpointer (RunCheckpointer contract)', () => {
  it('saves the mark with each checkpoint; latest() gives the last step, its mark and the state', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const counter = { steps: 0 };
    const checkpointer = await runGraph('marks', counter);
    const saved = await checkpointer.latest('marks');
    expect(saved?.step).toBe(2);
    expect(saved?.mark).toEqual(markOf({ steps: 2 })());
    expect(saved?.values).toEqual({ visited: ['first', 'second'] });
    expect(checkpointer.path).toContain('thread marks');
    // Every checkpoint of the thread carries the mark of its own moment (the input's: no node has run).
    const marks: number[] = [];
    for await (const tuple of checkpointer.saver.list({ configurable: { thread_id: 'marks' } }))
      marks.push((tuple.metadata as unknown as { refinery: CheckpointMark }).refinery.nodeSteps);
    expect(marks.sort()).toEqual([0, 0, 1, 2]);
    await checkpointer.close();
  });

  it('close() keeps the checkpoints for a resume; remove() deletes them', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const kept = await runGraph('kept', { steps: 0 });
    await kept.close();
    const reopened = await store.openCheckpointer('kept', markOf({ steps: 0 }));
    expect((await reopened.latest('kept'))?.step).toBe(2);
    await reopened.remove();
    expect(await reopened.latest('kept')).toBeUndefined();
    expect(await (await store.openCheckpointer('never', markOf({ steps: 0 }))).latest('never')).toBeUndefined();
  });

  it('keeps each run to its own thread and mark when runs share the saver', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const a = { steps: 100 };
    const b = { steps: 0 };
    const [ca, cb] = await Promise.all([runGraph('run-a', a), runGraph('run-b', b)]);
    expect((await ca.latest('run-a'))?.mark?.nodeSteps).toBe(102);
    expect((await cb.latest('run-b'))?.mark?.nodeSteps).toBe(2);
    await Promise.all([ca.remove(), cb.remove()]);
  });

  it('saves a checkpoint only once the trajectory before its mark is durable', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const counter = { steps: 0 };
    const order: string[] = [];
    const durable = async () => {
      order.push(`durable-start ${counter.steps}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push(`durable-end ${counter.steps}`);
    };
    const mark = markOf(counter);
    const checkpointer = await store.openCheckpointer(
      'durable',
      () => {
        order.push(`mark ${counter.steps}`);
        return mark();
      },
      durable,
    );
    const graph = twoNodes(counter).compile({ checkpointer: checkpointer.saver });
    await graph.invoke({}, { configurable: { thread_id: 'durable' }, durability: 'sync' });
    // Input, first, second: each checkpoint's mark is taken after its wait for durability has ended.
    expect(order).toEqual(
      [0, 0, 1, 2].flatMap((steps) => [`durable-start ${steps}`, `durable-end ${steps}`, `mark ${steps}`]),
    );
    expect(await checkpointer.latest('durable')).toBeDefined();
    await checkpointer.remove();
  });
});

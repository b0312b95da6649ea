import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, Command, END, START, StateGraph } from '@langchain/langgraph';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

// counter → counter ... → double → end: `counter` routes itself (instrumentNode's route) instead of a conditional edge.
const State = Annotation.Root({
  count: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  seen: Annotation<number[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
});
type CountState = typeof State.State;
const optionsSchema = z.object({ steps: z.number().int().default(3) }).strict();
const resultSchema = z.object({ count: z.number().int(), seen: z.array(z.number().int()) });
const routes: { before: number; update: Partial<CountState> }[] = [];

const counter: PipelineDefinition<
  { id: string },
  z.infer<typeof optionsSchema>,
  z.infer<typeof resultSchema>,
  CountState
> = {
  name: 'routed-counter',
  description: 'counts with a node that routes itself',
  optionsSchema,
  taskSchema: z.object({ id: z.string() }),
  resultSchema,
  agents: [],
  start(ctx) {
    const count = instrumentNode(
      ctx,
      'counter',
      (state: CountState): Partial<CountState> => ({ count: state.count + 1, seen: [state.count] }),
      (state, update) => {
        routes.push({ before: state.count, update });
        return update.count! < ctx.options.steps ? 'counter' : 'double';
      },
    );
    const double = instrumentNode(ctx, 'double', (state: CountState) => ({ count: state.count * 2 }));
    const graph = new StateGraph(State)
      .addNode('counter', count, { ends: ['counter', 'double'] })
      .addNode('double', double)
      .addEdge(START, 'counter')
      .addEdge('double', END)
      .compile();
    return { graph, stepLimit: 20 };
  },
  result: (_ctx, state) => ({ count: state?.count ?? 0, seen: state?.seen ?? [] }),
  verdict: (_ctx, result) => ({ status: 'passed', summary: `counted ${result.count}` }),
  progressLine: (result) => `counted ${result.count}`,
};

const dir = mkdtempSync(join(tmpdir(), 'instrument-route-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'counter.yaml'), 'graph: routed-counter\nmodels: {}\n');
const refinery = createRefinery({ pipelines: [counter] });

describe('instrumentNode with a route', () => {
  it('goes where the route says, from the state it was given and its update', async () => {
    routes.length = 0;
    const trajectoryPath = join(dir, 'run.jsonl');
    const result = await refinery.run({
      configPath: join(dir, 'counter.yaml'),
      set: ['options.steps=4'],
      task: { id: 't' },
      cwd: dir,
      trajectoryPath,
    });
    expect(result.summary).toBe('counted 8');
    expect(result).toMatchObject({ status: 'passed', result: { count: 8, seen: [0, 1, 2, 3] } });
    expect(routes).toEqual([0, 1, 2, 3].map((before) => ({ before, update: { count: before + 1, seen: [before] } })));
    // The trajectory holds each step's update, not the Command that carried it.
    const exits = readTrajectory(trajectoryPath).events.filter((e) => e.type === 'node_exit');
    expect(exits.map((e) => [e.node, e.update])).toEqual([
      ['counter', { count: 1, seen: [0] }],
      ['counter', { count: 2, seen: [1] }],
      ['counter', { count: 3, seen: [2] }],
      ['counter', { count: 4, seen: [3] }],
      ['double', { count: 8 }],
    ]);
  });

  it('returns a LangGraph Command (update and goto) when invoked outside a graph', async () => {
    const ctx = {
      budget: { checkTime() {}, totals: () => ({}) },
      progress: { update() {} },
      trajectory: { write() {} },
    };
    const node = instrumentNode(
      ctx as never,
      'n',
      (state: { n: number }) => ({ n: state.n + 1 }),
      (_state, update) => (update.n > 1 ? END : 'n'),
    );
    const command = await node.invoke({ n: 1 });
    expect(command).toBeInstanceOf(Command);
    expect(command).toMatchObject({ update: { n: 2 }, goto: [END] });
  });
});

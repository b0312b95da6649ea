import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

// A pipeline whose graph counts up, one node step at a time, then waits in `hang` until its signal aborts.
const State = Annotation.Root({ count: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }) });
type CounterState = typeof State.State;
const optionsSchema = z.object({ steps: z.number().int().default(3), hang: z.boolean().default(false) }).strict();
const resultSchema = z.object({ count: z.number().int(), ending: z.string() });

const counter: PipelineDefinition<
  { id: string },
  z.infer<typeof optionsSchema>,
  z.infer<typeof resultSchema>,
  CounterState
> = {
  name: 'counter',
  description: 'counts node steps',
  optionsSchema,
  taskSchema: z.object({ id: z.string() }),
  resultSchema,
  agents: [],
  start(ctx) {
    const step = instrumentNode(ctx, 'step', (state: CounterState) => ({ count: state.count + 1 }));
    const hang = instrumentNode(
      ctx,
      'hang',
      () =>
        new Promise<Partial<CounterState>>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        }),
    );
    const graph = new StateGraph(State)
      .addNode('step', step)
      .addNode('hang', hang)
      .addEdge(START, 'step')
      .addConditionalEdges('step', (s) => (s.count < ctx.options.steps ? 'step' : ctx.options.hang ? 'hang' : END), [
        'step',
        'hang',
        END,
      ])
      .addEdge('hang', END)
      .compile();
    return { graph, stepLimit: 10 };
  },
  result: (_ctx, state, ending) => ({ count: state?.count ?? 0, ending: ending.kind }),
  verdict: (_ctx, result) => ({ status: 'passed', summary: `counted ${result.count}` }),
  progressLine: (result) => `counted ${result.count}`,
};

const dir = mkdtempSync(join(tmpdir(), 'run-endings-'));
const config = join(dir, 'counter.yaml');
writeFileSync(config, 'graph: counter\nmodels: {}\n');
const refinery = createRefinery({ pipelines: [counter] });
const run = (set: string[], signal?: AbortSignal) =>
  refinery.run({
    configPath: config,
    set,
    task: { id: 't' },
    cwd: dir,
    trajectoryPath: join(dir, `${Math.random()}.jsonl`),
    ...(signal ? { signal } : {}),
  });

describe('the spine owns how a run ends', () => {
  it('a graph that runs to its end gets the pipeline verdict, with the result parsed by its schema', async () => {
    const result = await run([]);
    expect(result).toMatchObject({
      status: 'passed',
      exitCode: 0,
      result: { count: 3, ending: 'completed' },
      summary: 'counted 3',
    });
  });

  it('the step limit ends the run `failed` with the partial result of the last state', async () => {
    const result = await run(['options.steps=50']);
    expect(result.status).toBe('failed');
    expect(result.result).toEqual({ count: 10, ending: 'step-limit' });
    expect(result.summary).toBe('graph step limit 10 reached; counted 10');
  });

  it("a caller's abort ends the run `cancelled` (exit 130) with its partial result in the final event", async () => {
    const controller = new AbortController();
    const pending = run(['options.hang=true'], controller.signal);
    setTimeout(() => controller.abort('test'), 200);
    const result = await pending;
    expect(result).toMatchObject({ status: 'cancelled', exitCode: 130, result: { count: 3, ending: 'cancelled' } });
    const final = readTrajectory(result.trajectoryPath!).events.at(-1)!;
    expect(final).toMatchObject({ type: 'final', status: 'cancelled', result: { count: 3, ending: 'cancelled' } });
  });

  it('the wall-time budget cuts a node that is still running: exhausted:time with the partial result', async () => {
    const result = await run(['options.hang=true', 'budgets.wallSeconds=0.3']);
    expect(result).toMatchObject({ status: 'exhausted:time', exitCode: 13, result: { count: 3, ending: 'budget' } });
    expect(result.summary).toMatch(/^budget 'time' exhausted: .*; counted 3$/);
  });
});

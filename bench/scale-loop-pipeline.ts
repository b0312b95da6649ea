import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { z } from 'zod';
import type { ExecutionRequest, ExecutionResult, Executor } from '../src/execution/execution-types.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../src/models/model-types.ts';
import { instrumentNode } from '../src/runtime/instrument-node.ts';
import type { PipelineDefinition } from '../src/runtime/pipeline-definition.ts';

/**
 * The scale bench's task (bench/scale-bench.ts): coder (one model call) → execute (one execution) → critic, until
 * the execution passes or `iterations` attempts. The scripted model and the recorded executor answer at once and
 * depend only on what they are asked, so each task's result (attempts, last answer) depends on its `seed`, and a
 * batch's results can be compared row by row between a local batch and the queue: what the bench measures is the
 * queue and the store, not the work.
 */
const State = Annotation.Root({
  iteration: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  code: Annotation<string>({ reducer: (_a, b) => b, default: () => '' }),
  verdict: Annotation<string>({ reducer: (_a, b) => b, default: () => '' }),
});
type ScaleState = typeof State.State;
const optionsSchema = z.object({ iterations: z.number().int().positive().default(4) }).strict();
const taskSchema = z.object({ id: z.string(), seed: z.number().int() }).strict();
const resultSchema = z.object({ attempts: z.number().int(), passed: z.boolean(), answer: z.string() });
export type ScaleTask = z.infer<typeof taskSchema>;

/** FNV-1a, 32 bits: the scripted answers' only source of variety. */
function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function request(task: ScaleTask, iteration: number): ModelRequest {
  return {
    provider: 'openai',
    model: 'scripted',
    messages: [
      { role: 'system', content: 'You write Python.' },
      { role: 'user', content: `Task ${task.id} (seed ${task.seed}), attempt ${iteration}: write f.` },
    ],
    params: {},
    agent: 'coder',
  };
}

/** Replies at once with code derived from the request. */
export const scriptedModel: ModelClient = {
  async call(asked: ModelRequest): Promise<ModelReply> {
    const text = asked.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    return {
      texts: [`def f():\n    return ${fnv(text) % 1000}`],
      finishReasons: ['stop'],
      usage: { inputTokens: 20, outputTokens: 8 },
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      model: 'scripted',
    };
  },
};

/** Answers at once, as a recording does: passes when the returned number is a multiple of 3. */
export const recordedExecutor: Executor = {
  async run(asked: ExecutionRequest): Promise<ExecutionResult> {
    const value = Number(/return (\d+)/.exec(asked.source)?.[1] ?? '1');
    const passed = value % 3 === 0;
    return {
      verdict: passed ? 'passed' : 'failed',
      exitCode: passed ? 0 : 1,
      signal: null,
      stdout: '',
      stderr: passed ? '' : `AssertionError: f() == ${value}`,
      stdoutTruncated: false,
      stderrTruncated: false,
      durationMs: 0,
      sandbox: 'rlimit-only',
    };
  },
};

export const scaleLoopPipeline: PipelineDefinition<
  ScaleTask,
  z.infer<typeof optionsSchema>,
  z.infer<typeof resultSchema>,
  ScaleState
> = {
  name: 'scale-loop',
  description: 'coder → execute → critic until passed (the scale bench)',
  optionsSchema,
  taskSchema,
  resultSchema,
  agents: [],
  start(ctx) {
    const coder = instrumentNode(ctx, 'coder', async (state: ScaleState) => {
      ctx.budget.startIteration();
      const iteration = state.iteration + 1;
      const reply = await ctx.modelFor('coder').client.call(request(ctx.task, iteration), { signal: ctx.signal });
      return { iteration, code: reply.texts[0] ?? '' };
    });
    const execute = instrumentNode(ctx, 'execute', async (state: ScaleState) => {
      const result = await ctx.executor.run({ language: 'python', source: state.code }, { signal: ctx.signal });
      return { verdict: result.verdict };
    });
    const critic = instrumentNode(ctx, 'critic', async () => ({}));
    const graph = new StateGraph(State)
      .addNode('coder', coder)
      .addNode('execute', execute)
      .addNode('critic', critic)
      .addEdge(START, 'coder')
      .addEdge('coder', 'execute')
      .addEdge('execute', 'critic')
      .addConditionalEdges(
        'critic',
        (state) => (state.verdict === 'passed' || state.iteration >= ctx.options.iterations ? END : 'coder'),
        ['coder', END],
      )
      .compile();
    return { graph, stepLimit: ctx.options.iterations * 3 + 10 };
  },
  result: (_ctx, state) => ({
    attempts: state?.iteration ?? 0,
    passed: state?.verdict === 'passed',
    answer: /return (\d+)/.exec(state?.code ?? '')?.[1] ?? '',
  }),
  verdict: (_ctx, result) => ({
    status: result.passed ? 'passed' : 'failed',
    summary: `${result.passed ? 'passed' : 'failed'} after ${result.attempts} attempts (f() == ${result.answer})`,
  }),
  progressLine: (result) => `${result.attempts} attempts`,
};

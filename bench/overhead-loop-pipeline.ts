import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { z } from 'zod';
import type { ExecutionRequest, ExecutionResult, Executor } from '../src/execution/execution-types.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../src/models/model-types.ts';
import { GraphNode, instrumentNode } from '../src/runtime/instrument-node.ts';
import type { PipelineDefinition } from '../src/runtime/pipeline-definition.ts';

/**
 * The overhead bench's loop: coder (one model call) → execute (one execution) → critic (decides) → coder ...,
 * `iterations` times. Its node bodies are {@link loopStep}'s, so the bench can run the same work without the
 * spine and LangGraph (the baseline) and charge the difference to them.
 */
const State = Annotation.Root({
  iteration: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  code: Annotation<string>({ reducer: (_a, b) => b, default: () => '' }),
  verdict: Annotation<string>({ reducer: (_a, b) => b, default: () => '' }),
});
type LoopState = typeof State.State;
const optionsSchema = z.object({ iterations: z.number().int().positive().default(100) }).strict();
const resultSchema = z.object({ iterations: z.number().int() });

/** The work of one iteration, shared by the graph's nodes and the baseline loop. */
export const loopStep = {
  request(iteration: number): ModelRequest {
    return {
      provider: 'openai',
      model: 'scripted',
      messages: [
        { role: 'system', content: 'You write Python.' },
        { role: 'user', content: `Attempt ${iteration}: write f.` },
      ],
      params: {},
      agent: 'coder',
    };
  },
  execution(code: string): ExecutionRequest {
    return { language: 'python', source: code };
  },
  decide(iteration: number, total: number, verdict: string): 'again' | 'stop' {
    return iteration >= total || verdict === 'passed' ? 'stop' : 'again';
  },
};

/** A model with no latency: the reply is ready at once. */
export const zeroLatencyModel: ModelClient = {
  async call(request: ModelRequest): Promise<ModelReply> {
    return {
      texts: [`def f():\n    return ${request.messages.length}`],
      finishReasons: ['stop'],
      usage: { inputTokens: 10, outputTokens: 5 },
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      model: 'scripted',
    };
  },
};

/** An execution answered at once, as a recording answers it (`--exec recorded`). */
export const recordedExecutor: Executor = {
  async run(): Promise<ExecutionResult> {
    return {
      verdict: 'failed',
      exitCode: 1,
      signal: null,
      stdout: '',
      stderr: 'AssertionError',
      stdoutTruncated: false,
      stderrTruncated: false,
      durationMs: 0,
      sandbox: 'rlimit-only',
    };
  },
};

/**
 * The same graph on LangGraph alone: the node bodies call the model and the executor directly (no spine: no
 * instrumentation, budgets, recording or trajectory), to split the overhead between LangGraph and Refinery.
 * `nodes: 'graph-node'` declares the nodes as the spine does ({@link GraphNode}, what `instrumentNode` returns);
 * `'function'` as plain functions, LangGraph's default (each step then also runs in a RunnableCallable).
 */
export function bareLoopGraph(iterations: number, nodes: 'graph-node' | 'function' = 'graph-node') {
  const node = <T>(name: string, fn: (state: LoopState) => Promise<T>) =>
    nodes === 'graph-node' ? new GraphNode(name, fn) : fn;
  return new StateGraph(State)
    .addNode(
      'coder',
      node('coder', async (state: LoopState) => {
        const iteration = state.iteration + 1;
        const reply = await zeroLatencyModel.call(loopStep.request(iteration));
        return { iteration, code: reply.texts[0] ?? '' };
      }),
    )
    .addNode(
      'execute',
      node('execute', async (state: LoopState) => ({
        verdict: (await recordedExecutor.run(loopStep.execution(state.code))).verdict,
      })),
    )
    .addNode(
      'critic',
      node('critic', async () => ({})),
    )
    .addEdge(START, 'coder')
    .addEdge('coder', 'execute')
    .addEdge('execute', 'critic')
    .addConditionalEdges(
      'critic',
      (state) => (loopStep.decide(state.iteration, iterations, state.verdict) === 'stop' ? END : 'coder'),
      ['coder', END],
    )
    .compile();
}

export const overheadLoopPipeline: PipelineDefinition<
  { id: string },
  z.infer<typeof optionsSchema>,
  z.infer<typeof resultSchema>,
  LoopState
> = {
  name: 'overhead-loop',
  description: 'coder → execute → critic, N times (the overhead bench)',
  optionsSchema,
  taskSchema: z.object({ id: z.string() }),
  resultSchema,
  agents: [],
  start(ctx) {
    const coder = instrumentNode(ctx, 'coder', async (_state: LoopState) => {
      const iteration = ctx.budget.startIteration();
      const reply = await ctx.modelFor('coder').client.call(loopStep.request(iteration), { signal: ctx.signal });
      return { iteration, code: reply.texts[0] ?? '' };
    });
    const execute = instrumentNode(ctx, 'execute', async (state: LoopState) => {
      const result = await ctx.executor.run(loopStep.execution(state.code), { signal: ctx.signal });
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
        (state) => (loopStep.decide(state.iteration, ctx.options.iterations, state.verdict) === 'stop' ? END : 'coder'),
        ['coder', END],
      )
      .compile();
    return { graph, stepLimit: ctx.options.iterations * 3 + 10 };
  },
  result: (_ctx, state) => ({ iterations: state?.iteration ?? 0 }),
  verdict: (_ctx, result) => ({ status: 'passed', summary: `${result.iterations} iterations` }),
  progressLine: (result) => `${result.iterations} iterations`,
};

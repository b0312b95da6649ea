import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { parseCoderReply } from '../../agents/codet-coder/parse-coder-reply.ts';
import { parseTesterReply } from '../../agents/codet-tester/parse-tester-reply.ts';
import { sharedCompileChecker } from '../../src/execution/compile/python-compile-checker.ts';
import type { MatrixEngine, ProgramOutcome } from '../../src/execution/matrix/matrix-engine.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { codetPassAtK, randomPassAtK } from '../../src/techniques/codet/evaluate-ranking.ts';
import { extractTests, keepCompilable, limitTests } from '../../src/techniques/codet/extract-tests.ts';
import { truncateSolutions } from '../../src/techniques/codet/truncate-solution.ts';
import type { CodetOptions } from './codet-options.ts';
import { type CodetTask, testPromptFor } from './codet-task.ts';
import { type DualExecutionMatrix, executeDualMatrix, rankFromMatrix } from './rank-candidates.ts';

/** A ranked pool as stored in the graph state and the trajectory (JSON-friendly). */
export interface PoolSummary {
  score: number;
  size: number;
  /** [completion, sample count] pairs. */
  completions: [string, number][];
}

export interface CodetEvaluation {
  /** CodeT pass@k of this task, by k. */
  passAtK: Record<string, number>;
  /** Random-baseline pass@k of this task, by k. */
  randomPassAtK: Record<string, number>;
  pickPassed: boolean | null;
  /** Correct samples in the top pool / its size. */
  topPoolCorrect: number;
  groundTruth: { passed: number; failed: number; timeout: number };
}

export const CodetState = Annotation.Root({
  /** Coder replies as continuations, one per sample. */
  solutionSamples: Annotation<string[]>(),
  /** Cleaned completions, one per sample. */
  completions: Annotation<string[]>(),
  testSamples: Annotation<string[]>(),
  /** Valid asserts per test sample, before the limit. */
  testsPerSample: Annotation<string[][]>(),
  /** The limited test multiset as [test, count] pairs. */
  tests: Annotation<[string, number][]>(),
  matrix: Annotation<DualExecutionMatrix>(),
  fallback: Annotation<boolean>(),
  pools: Annotation<PoolSummary[]>(),
  pick: Annotation<string | null>(),
  explanation: Annotation<string>(),
  evaluation: Annotation<CodetEvaluation | null>(),
});

export type CodetStateValue = typeof CodetState.State;

async function sample(
  ctx: RunContext<CodetTask, CodetOptions>,
  agent: 'coder' | 'tester',
  count: number,
  vars: Record<string, string>,
): Promise<string[]> {
  const texts: string[] = [];
  const perCall = ctx.options.samples.perCall ?? Math.max(count, 1);
  while (texts.length < count) {
    const n = Math.min(perCall, count - texts.length);
    const reply = await callAgent(ctx, { agent, vars, params: { n }, recordKey: ctx.task.taskId });
    texts.push(...reply.texts);
  }
  return texts;
}

/** Builds the CodeT graph: coder → tester → tests → execute → rank → critic (→ evaluate). */
export function buildCodetGraph(ctx: RunContext<CodetTask, CodetOptions>, engine: MatrixEngine) {
  const task = ctx.task;
  const options = ctx.options;
  const settings = { score: options.score, ties: options.ties, fallback: options.fallback };
  const vars = { prompt: task.prompt, entry_point: task.entryPoint, test_prompt: testPromptFor(task) };

  const sampleSolutions = instrumentNode(ctx, 'coder', async () => {
    const replies = await sample(ctx, 'coder', task.samples?.solutions ?? options.samples.solutions, vars);
    const solutionSamples = replies.map((reply) => parseCoderReply(reply, task.prompt, task.entryPoint));
    return { solutionSamples, completions: truncateSolutions(solutionSamples) };
  });

  const sampleTests = instrumentNode(ctx, 'tester', async () => {
    const replies = await sample(ctx, 'tester', task.samples?.tests ?? options.samples.tests, vars);
    return { testSamples: replies.map(parseTesterReply) };
  });

  const prepareTests = instrumentNode(ctx, 'extract_tests', async (state: CodetStateValue) => {
    const candidates = state.testSamples.map((text) => extractTests(text, task.entryPoint));
    const distinct = [...new Set(candidates.flat())];
    const compilable: string[] = await ctx.recordedStep('python-compile-check', { tests: distinct }, async () => [
      ...(await sharedCompileChecker().compilable(distinct)),
    ]);
    const valid = new Set(compilable);
    const testsPerSample = keepCompilable(candidates, (test) => valid.has(test));
    return { testsPerSample, tests: [...limitTests(testsPerSample, options.tests.limitPerSample)] };
  });

  const execute = instrumentNode(ctx, 'execute', async (state: CodetStateValue) => {
    const matrix = await executeDualMatrix(ctx, {
      prompt: task.prompt,
      completions: [...new Set(state.completions)],
      tests: state.tests.map(([test]) => test),
      engine,
      perTestTimeoutSec: options.exec.perTestTimeoutSec,
      uncompilableTests: options.exec.uncompilableTests,
    });
    return { matrix };
  });

  const rank = instrumentNode(ctx, 'rank', (state: CodetStateValue) => {
    const result = rankFromMatrix(state.completions, new Map(state.tests), state.matrix, settings);
    return {
      fallback: result.ranking.fallback,
      pools: result.ranking.pools.map((pool) => ({
        score: pool.score,
        size: pool.size,
        completions: [...pool.completions],
      })),
      pick: result.best ?? null,
      explanation: result.explanation.text,
    };
  });

  const critic = instrumentNode(ctx, 'critic', (state: CodetStateValue) => {
    ctx.trajectory.write({
      type: 'note',
      node: 'critic',
      message: state.explanation,
      data: {
        fallback: state.fallback,
        pools: state.pools
          .slice(0, 3)
          .map(({ score, size, completions }) => ({ score, size, distinct: completions.length })),
      },
    });
    return {};
  });

  const evaluate = instrumentNode(ctx, 'evaluate', async (state: CodetStateValue) => {
    const groundTruth = task.groundTruth!;
    const completions = [...new Set(state.completions)];
    const request = {
      prompt: task.prompt,
      completions,
      test: groundTruth.test,
      entryPoint: task.entryPoint,
      timeoutSec: options.exec.groundTruthTimeoutSec,
    };
    // HumanEval's check program per completion, under one timer
    const programs = completions.map(
      (completion) => `${task.prompt}${completion}\n${groundTruth.test}\ncheck(${task.entryPoint})`,
    );
    const result = await ctx.recordedStep('codet-ground-truth', request, () =>
      engine.runPrograms({ programs, timeoutSec: request.timeoutSec }, { signal: ctx.signal }),
    );
    const outcome = new Map<string, ProgramOutcome>(completions.map((c, i) => [c, result.outcomes[i] ?? 'failed']));
    const correct = (completion: string) => outcome.get(completion) === 'passed';
    const ranking = rankFromMatrix(state.completions, new Map(state.tests), state.matrix, settings).ranking;
    const counts = { passed: 0, failed: 0, timeout: 0 };
    for (const value of outcome.values()) counts[value]++;
    const evaluation: CodetEvaluation = {
      passAtK: Object.fromEntries(options.evaluate.k.map((k) => [`pass@${k}`, codetPassAtK(ranking, correct, k)])),
      randomPassAtK: Object.fromEntries(
        options.evaluate.randomK.map((k) => [`pass@${k}`, randomPassAtK(state.completions, correct, k)]),
      ),
      pickPassed: state.pick === null ? null : correct(state.pick),
      topPoolCorrect: (state.pools[0]?.completions ?? []).reduce((sum, [c, n]) => sum + (correct(c) ? n : 0), 0),
      groundTruth: counts,
    };
    return { evaluation };
  });

  return new StateGraph(CodetState)
    .addNode('coder', sampleSolutions)
    .addNode('tester', sampleTests)
    .addNode('extract_tests', prepareTests)
    .addNode('execute', execute)
    .addNode('rank', rank)
    .addNode('critic', critic)
    .addNode('evaluate', evaluate)
    .addEdge(START, 'coder')
    .addEdge('coder', 'tester')
    .addEdge('tester', 'extract_tests')
    .addEdge('extract_tests', 'execute')
    .addEdge('execute', 'rank')
    .addEdge('rank', 'critic')
    .addConditionalEdges('critic', () => (task.groundTruth ? 'evaluate' : END), ['evaluate', END])
    .addEdge('evaluate', END)
    .compile();
}

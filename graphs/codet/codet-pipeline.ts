import { z } from 'zod';
import type { MatrixEngineLease } from '../../src/execution/matrix/matrix-engine-lease.ts';
import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { codetExample } from './codet-example.ts';
import type { CodetStateValue } from './codet-graph.ts';
import { type CodetOptions, codetOptionsSchema } from './codet-options.ts';
import { type CodetTask, codetTaskSchema } from './codet-task.ts';

export interface CodetPipelineDeps {
  /** Where the execute and evaluate nodes run programs. Default: the shared batch engine. */
  acquireEngine?: (ctx: RunContext<CodetTask, CodetOptions>) => Promise<MatrixEngineLease> | MatrixEngineLease;
}

const evaluationSchema = z.object({
  /** CodeT pass@k of this task, by k. */
  passAtK: z.record(z.string(), z.number()),
  /** Random-baseline pass@k of this task, by k. */
  randomPassAtK: z.record(z.string(), z.number()),
  pickPassed: z.boolean().nullable(),
  /** Correct samples in the top pool / its size. */
  topPoolCorrect: z.number(),
  groundTruth: z.object({ passed: z.number().int(), failed: z.number().int(), timeout: z.number().int() }),
});

/** The result a CodeT run writes to its final event; a budget stop leaves the later fields empty. */
export const codetResultSchema = z.object({
  taskId: z.string(),
  pick: z.string().nullable(),
  fallback: z.boolean(),
  /** The top pool: score, samples, distinct completions. */
  topPool: z.object({ score: z.number(), size: z.number().int(), distinct: z.number().int() }).nullable(),
  pools: z.number().int(),
  solutions: z.number().int(),
  tests: z.object({ distinct: z.number().int(), total: z.number().int() }),
  timeouts: z.object({ tests: z.number().int(), groundTruth: z.number().int() }),
  evaluation: evaluationSchema.nullable(),
  explanation: z.string(),
});

export type CodetResult = z.infer<typeof codetResultSchema>;

/** Graph steps: seven nodes, each once, with room to spare. */
const STEP_LIMIT = 20;

export function createCodetPipeline(
  deps: CodetPipelineDeps = {},
): PipelineDefinition<CodetTask, CodetOptions, CodetResult, CodetStateValue> {
  return {
    name: 'codet',
    description:
      'CodeT dual execution agreement: the coder samples solutions, the tester samples asserts, the matrix is ' +
      'executed, and consensus sets sqrt(|solutions|)·|tests| rank the candidates.',
    optionsSchema: codetOptionsSchema,
    taskSchema: codetTaskSchema,
    resultSchema: codetResultSchema,
    agents: [
      { agent: 'coder', prompts: ['user'] },
      { agent: 'tester', prompts: ['user'] },
    ],
    async start(ctx) {
      const acquire =
        deps.acquireEngine ??
        (await import('../../src/execution/matrix/matrix-engine-lease.ts')).acquireSharedMatrixEngine;
      const lease = await acquire(ctx);
      const { buildCodetGraph } = await import('./codet-graph.ts');
      return { graph: buildCodetGraph(ctx, lease.engine), stepLimit: STEP_LIMIT, release: () => lease.release() };
    },
    result: (ctx, state) => summarize(ctx.task, state ?? {}),
    verdict(_ctx, result) {
      const passed = result.evaluation ? result.evaluation.pickPassed === true : result.pick !== null;
      return { status: passed ? 'passed' : 'failed', summary: oneLine(result) };
    },
    progressLine: oneLine,
    example: codetExample,
  };
}

function summarize(task: CodetTask, state: Partial<CodetStateValue>): CodetResult {
  const pools = state.pools ?? [];
  const top = pools[0];
  const tests = state.tests ?? [];
  return {
    taskId: task.taskId,
    pick: state.pick ?? null,
    fallback: state.fallback ?? false,
    topPool: top ? { score: top.score, size: top.size, distinct: top.completions.length } : null,
    pools: pools.length,
    solutions: state.completions?.length ?? 0,
    tests: { distinct: tests.length, total: tests.reduce((sum, [, count]) => sum + count, 0) },
    timeouts: { tests: state.matrix?.timeouts ?? 0, groundTruth: state.evaluation?.groundTruth.timeout ?? 0 },
    evaluation: state.evaluation ?? null,
    explanation: state.explanation ?? '',
  };
}
function oneLine(result: CodetResult): string {
  const pool = result.topPool
    ? `top pool score ${result.topPool.score.toFixed(3)} (${result.topPool.size} samples)`
    : 'no pool';
  const choice = result.fallback ? `fallback (${result.pools ? 'random' : 'none'})` : pool;
  const truth = result.evaluation ? `, pass@1 ${(100 * (result.evaluation.passAtK['pass@1'] ?? 0)).toFixed(1)}%` : '';
  return `${result.taskId}: ${choice}${truth}`;
}

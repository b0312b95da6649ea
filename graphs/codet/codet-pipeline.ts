import type { PipelineDefinition, PipelineOutcome } from '../../src/runtime/pipeline-definition.ts';
import type { MatrixEngineLease } from '../../src/execution/matrix/matrix-engine-lease.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { codetOptionsSchema, type CodetOptions } from './codet-options.ts';
import { buildCodetGraph, type CodetEvaluation, type CodetStateValue } from './codet-graph.ts';
import { codetTaskSchema, type CodetTask } from './codet-task.ts';

export interface CodetPipelineDeps {
  /** Where the execute and evaluate nodes run programs. Default: the shared batch engine. */
  acquireEngine?: (ctx: RunContext<CodetTask, CodetOptions>) => Promise<MatrixEngineLease> | MatrixEngineLease;
}

/** The result a CodeT run writes to its final event. */
export interface CodetResult {
  taskId: string;
  pick: string | null;
  fallback: boolean;
  /** The top pool: score, samples, distinct completions. */
  topPool: { score: number; size: number; distinct: number } | null;
  pools: number;
  solutions: number;
  tests: { distinct: number; total: number };
  timeouts: { tests: number; groundTruth: number };
  evaluation: CodetEvaluation | null;
  explanation: string;
}

export function createCodetPipeline(deps: CodetPipelineDeps = {}): PipelineDefinition<CodetTask, CodetOptions> {
  return {
    name: 'codet',
    description:
      'CodeT dual execution agreement: the coder samples solutions, the tester samples asserts, the matrix is ' +
      'executed, and consensus sets sqrt(|solutions|)·|tests| rank the candidates.',
    optionsSchema: codetOptionsSchema,
    taskSchema: codetTaskSchema,
    async run(ctx): Promise<PipelineOutcome> {
      const acquire = deps.acquireEngine ?? (await import('../../src/execution/matrix/matrix-engine-lease.ts')).acquireSharedMatrixEngine;
      const lease = await acquire(ctx);
      try {
        const graph = buildCodetGraph(ctx, lease.engine);
        const state = (await graph.invoke({}, { recursionLimit: 20 })) as CodetStateValue;
        const result = summarize(ctx.task, state);
        const passed = result.evaluation ? result.evaluation.pickPassed === true : result.pick !== null;
        return {
          status: passed ? 'passed' : 'failed',
          result,
          summary: oneLine(result),
        };
      } finally {
        await lease.release();
      }
    },
  };
}

function summarize(task: CodetTask, state: CodetStateValue): CodetResult {
  const top = state.pools[0];
  return {
    taskId: task.taskId,
    pick: state.pick,
    fallback: state.fallback,
    topPool: top ? { score: top.score, size: top.size, distinct: top.completions.length } : null,
    pools: state.pools.length,
    solutions: state.completions.length,
    tests: { distinct: state.tests.length, total: state.tests.reduce((sum, [, count]) => sum + count, 0) },
    timeouts: { tests: state.matrix.timeouts, groundTruth: state.evaluation?.groundTruth.timeout ?? 0 },
    evaluation: state.evaluation ?? null,
    explanation: state.explanation,
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

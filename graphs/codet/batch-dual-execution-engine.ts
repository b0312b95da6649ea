import { isAbsolute, resolve } from 'node:path';
import type { PipelineConfig } from '../../src/config/pipeline-config-schema.ts';
import { evaluatePythonMatrix, runPythonPrograms, sharedPythonWorkerPool, type BatchRunOptions } from '../../src/execution/batch/index.ts';
import type { DualEngineLease } from './codet-pipeline.ts';
import type { DualExecutionEngine, GroundTruthOutcome } from './dual-execution-engine.ts';

/**
 * The batch engine (warm zygotes, per-test timers, content-hash cache) as CodeT's `DualExecutionEngine`.
 * `uncompilableTests: 'lose-vectors'` keeps the reference's outcome when a test compiles at module level but not
 * inside the harness function (`from x import *` after an assert: HumanEval/68, /106, /143): the reference packs
 * all tests into one program, which then fails to load, so every candidate of the task loses its vector.
 */
export interface TimingWhatIf {
  /**
   * Analysis only (default 1, as measured): a run also counts as timed out when its measured duration times
   * `slowdown` reaches its limit, as on a machine that much slower. A test, a whole vector (process limit) or a
   * ground-truth run that passed can so turn into a timeout; nothing turns the other way.
   */
  slowdown?: number;
}

export function createBatchDualExecutionEngine(options: BatchRunOptions = {}, whatIf: TimingWhatIf = {}): DualExecutionEngine {
  const slowdown = whatIf.slowdown ?? 1;
  return {
    async runMatrix(request, callOptions) {
      const result = await evaluatePythonMatrix(
        {
          candidates: request.completions,
          tests: request.tests,
          prelude: request.prompt,
          perTestTimeoutMs: Math.round(request.perTestTimeoutSec * 1000),
          processSlackMs: Math.round(request.perTestTimeoutSec * 1000),
          uncompilableTests: 'lose-vectors',
          ...(callOptions?.signal ? { signal: callOptions.signal } : {}),
        },
        options,
      );
      const limitMs = request.perTestTimeoutSec * 1000;
      const rows = request.completions.map((_, i) => {
        const c = result.candidateIndex[i]!;
        const run = result.runs[c]!;
        if (run.status !== 'ok') return null;
        if (slowdown !== 1 && run.durationMs * slowdown >= result.processLimitMs) return null;
        const row = result.matrix[c]!;
        return request.tests.map((_, t) => {
          const column = result.testIndex[t]!;
          return row[column] === true && (run.testDurationsMs[column] ?? 0) * slowdown < limitMs;
        });
      });
      return { rows, timeouts: result.stats.testTimeouts + result.stats.processTimeouts };
    },

    async runGroundTruth(request, callOptions) {
      const result = await runPythonPrograms(
        {
          programs: request.completions.map(
            (completion) => `${request.prompt}${completion}\n${request.test}\ncheck(${request.entryPoint})`,
          ),
          timeoutMs: Math.round(request.timeoutSec * 1000),
          ...(callOptions?.signal ? { signal: callOptions.signal } : {}),
        },
        options,
      );
      const limitMs = request.timeoutSec * 1000;
      return {
        outcomes: result.runs.map((run): GroundTruthOutcome =>
          run.outcome !== 'timeout' && slowdown !== 1 && run.durationMs * slowdown >= limitMs ? 'timeout' : run.outcome,
        ),
      };
    },
  };
}

/**
 * A lease on the process-wide batch pool, sized and sandboxed by the config's `execution` section (the first
 * caller's settings win, as the pool is shared). Idle zygotes do not keep Node alive, so `release` has
 * nothing to do; whoever owns the process may call `closeSharedPythonWorkerPool()` at the end.
 */
export function acquireSharedBatchEngine(ctx: { config: PipelineConfig; baseDir?: string }, whatIf: TimingWhatIf = {}): DualEngineLease {
  const execution = ctx.config.execution;
  const pool = sharedPythonWorkerPool({
    sandbox: execution.sandbox,
    ...(execution.workers !== undefined ? { size: execution.workers } : {}),
  });
  const cacheDir = execution.cacheDir;
  const cache = !execution.cache
    ? false
    : cacheDir === undefined
      ? undefined
      : isAbsolute(cacheDir)
        ? cacheDir
        : resolve(ctx.baseDir ?? process.cwd(), cacheDir);
  return {
    engine: createBatchDualExecutionEngine({ pool, ...(cache !== undefined ? { cache } : {}) }, whatIf),
    release() {},
  };
}

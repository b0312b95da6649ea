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
export function createBatchDualExecutionEngine(options: BatchRunOptions = {}): DualExecutionEngine {
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
      const rows = request.completions.map((_, i) => {
        const c = result.candidateIndex[i]!;
        if (result.runs[c]!.status !== 'ok') return null;
        const row = result.matrix[c]!;
        return request.tests.map((_, t) => row[result.testIndex[t]!] === true);
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
      return { outcomes: result.runs.map((run): GroundTruthOutcome => run.outcome) };
    },
  };
}

/**
 * A lease on the process-wide batch pool, sized and sandboxed by the config's `execution` section (the first
 * caller's settings win, as the pool is shared). Idle zygotes do not keep Node alive, so `release` has
 * nothing to do; whoever owns the process may call `closeSharedPythonWorkerPool()` at the end.
 */
export function acquireSharedBatchEngine(ctx: { config: PipelineConfig; baseDir?: string }): DualEngineLease {
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
    engine: createBatchDualExecutionEngine({ pool, ...(cache !== undefined ? { cache } : {}) }),
    release() {},
  };
}

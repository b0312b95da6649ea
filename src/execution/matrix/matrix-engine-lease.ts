import { isAbsolute, resolve } from 'node:path';
import type { PipelineConfig } from '../../config/pipeline-config-schema.ts';
import { sharedPythonWorkerPool } from '../batch/python-worker-pool.ts';
import { createBatchMatrixEngine, type TimingWhatIf } from './batch-matrix-engine.ts';
import type { MatrixEngine } from './matrix-engine.ts';

/** A borrowed engine; `release` lets a shared pool close once nobody uses it. */
export interface MatrixEngineLease {
  engine: MatrixEngine;
  release(): Promise<void> | void;
}

/**
 * A lease on the process-wide batch pool, sized and sandboxed by the config's `execution` section (the first
 * caller's settings win, as the pool is shared). Idle zygotes do not keep Node alive, so `release` has
 * nothing to do; whoever owns the process may call `closeSharedPythonWorkerPool()` at the end.
 */
export function acquireSharedMatrixEngine(
  ctx: { config: PipelineConfig; baseDir?: string },
  whatIf: TimingWhatIf = {},
): MatrixEngineLease {
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
    engine: createBatchMatrixEngine({ pool, ...(cache !== undefined ? { cache } : {}) }, whatIf),
    release() {},
  };
}

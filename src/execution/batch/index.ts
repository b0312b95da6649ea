export { evaluatePythonMatrix } from './evaluate-python-matrix.ts';
export { runPythonPrograms } from './run-python-programs.ts';
export {
  PythonWorkerPool,
  sharedPythonWorkerPool,
  closeSharedPythonWorkerPool,
  type PythonWorkerPoolOptions,
  type PoolCounters,
} from './python-worker-pool.ts';
export type { BatchRunOptions } from './batch-options.ts';
export { defaultCacheDir } from './batch-options.ts';
export { BatchWorkerError } from './batch-worker-error.ts';
export type * from './batch-types.ts';

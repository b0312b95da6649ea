export type { BatchRunOptions } from './batch-options.ts';
export { defaultCacheDir } from './batch-options.ts';
export type * from './batch-types.ts';
export { BatchWorkerError } from './batch-worker-error.ts';
export { evaluatePythonMatrix } from './evaluate-python-matrix.ts';
export {
  closeSharedPythonWorkerPool,
  type PoolCounters,
  PythonWorkerPool,
  type PythonWorkerPoolOptions,
  sharedPythonWorkerPool,
} from './python-worker-pool.ts';
export { runPythonCalls } from './run-python-calls.ts';
export { runPythonPrograms } from './run-python-programs.ts';

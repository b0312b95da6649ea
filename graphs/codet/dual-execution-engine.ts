/**
 * What CodeT needs from an executor: the candidates × tests matrix and, for evaluation, ground-truth runs.
 * The batch engine (src/execution/batch) implements it; see `batch-dual-execution-engine.ts`.
 */
export interface DualExecutionEngine {
  runMatrix(request: DualMatrixRequest, options?: { signal?: AbortSignal }): Promise<DualMatrixResult>;
  runGroundTruth(request: GroundTruthRequest, options?: { signal?: AbortSignal }): Promise<GroundTruthResult>;
}

export interface DualMatrixRequest {
  /** Prepended to every completion; '' when candidates are whole programs. */
  prompt: string;
  /** Distinct completions. */
  completions: string[];
  /** Distinct tests (each a statement or block run on its own). */
  tests: string[];
  perTestTimeoutSec: number;
}

export interface DualMatrixResult {
  /** One row per completion: pass flags per test, or null when the whole vector was lost. */
  rows: (boolean[] | null)[];
  /** Per-test timer expiries and process-limit overruns, for the timeout count next to every figure. */
  timeouts: number;
}

export interface GroundTruthRequest {
  prompt: string;
  completions: string[];
  /** Test code defining `check(candidate)`; the program ends with `check(entryPoint)`. */
  test: string;
  entryPoint: string;
  timeoutSec: number;
}

export type GroundTruthOutcome = 'passed' | 'failed' | 'timeout';

export interface GroundTruthResult {
  outcomes: GroundTruthOutcome[];
}

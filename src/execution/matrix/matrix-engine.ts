/**
 * Runs candidates × tests: every candidate program against every test, each test on its own under a per-test
 * timer, one verdict per pair. CodeT ranks solutions with it (solutions × generated asserts); MuTAP (mutants ×
 * tests) and Mokav (P and Q × inputs) are the next users. It also runs whole programs under one timer
 * (ground truth, reference checks). The batch engine implements it: `batch-matrix-engine.ts`.
 */
export interface MatrixEngine {
  runMatrix(request: MatrixRequest, options?: MatrixCallOptions): Promise<MatrixResult>;
  runPrograms(request: ProgramsRequest, options?: MatrixCallOptions): Promise<ProgramsResult>;
}

export interface MatrixCallOptions {
  signal?: AbortSignal;
}

/**
 * A test that compiles on its own but not inside the engine's harness (`assert f(1)\nfrom m import *`, legal at
 * module level only). `fail-test` (the default): only that test fails, for every candidate. `lose-vectors`: every
 * candidate loses its vector (row null), as in CodeT's reference, whose one packed program then fails to load.
 */
export const UNCOMPILABLE_TEST_POLICIES = ['fail-test', 'lose-vectors'] as const;
export type UncompilableTestPolicy = (typeof UNCOMPILABLE_TEST_POLICIES)[number];

export interface MatrixRequest {
  /** Prepended to every candidate (the program is `prelude + candidate + "\n"`); '' when candidates are whole programs. */
  prelude: string;
  /** Candidate programs (or completions of the prelude); repeats are run once and answered in every place. */
  candidates: readonly string[];
  /** Tests, each a statement or block run on its own; repeats are run once and answered in every place. */
  tests: readonly string[];
  perTestTimeoutSec: number;
  /** Default `fail-test`. */
  uncompilableTests?: UncompilableTestPolicy;
}

export interface MatrixResult {
  /**
   * One row per requested candidate, in request order: one pass flag per requested test, in request order; null
   * when the candidate's whole vector was lost (it did not load, escaped the harness, overran its process limit or
   * crashed).
   */
  rows: (boolean[] | null)[];
  /** Per-test timer expiries and process-limit overruns, for the timeout count next to every figure. */
  timeouts: number;
}

export interface ProgramsRequest {
  /** Whole programs; a program passes when it runs to its end without an exception. */
  programs: readonly string[];
  /** One timer around each whole program (compile and run). */
  timeoutSec: number;
}

export type ProgramOutcome = 'passed' | 'failed' | 'timeout';

export interface ProgramsResult {
  /** One per requested program, in request order. */
  outcomes: ProgramOutcome[];
}

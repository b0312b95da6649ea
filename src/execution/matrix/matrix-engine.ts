/**
 * Runs candidates × tests: every candidate program against every test, each test on its own under a per-test
 * timer, one verdict per pair. CodeT ranks solutions with it (solutions × generated asserts). It also runs whole
 * programs under one timer (ground truth, reference checks), and a pipeline's own Python harness on JSON jobs
 * (`runCalls`: MuTAP's mutants × tests, Mokav's P and Q × inputs). The batch engine implements it:
 * `batch-matrix-engine.ts`.
 */
export interface MatrixEngine {
  runMatrix(request: MatrixRequest, options?: MatrixCallOptions): Promise<MatrixResult>;
  runPrograms(request: ProgramsRequest, options?: MatrixCallOptions): Promise<ProgramsResult>;
  runCalls(request: CallsRequest, options?: MatrixCallOptions): Promise<CallsResult>;
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

export interface CallsRequest {
  /**
   * Python source of a harness module defining `run(job)`: it receives the job's JSON value and returns a
   * JSON-serialisable value. The harness is the pipeline's own code (e.g. src/execution/mokav/det-harness.py); it
   * is registered with a worker once per distinct source (by content hash), not re-sent per job. Its module-level
   * code runs once per worker and should only import and define.
   */
  harness: string;
  /**
   * One JSON value per call. Identical (harness, job, limits) run once per request and are answered from the
   * content-hash result cache across requests/runs (a warm re-run executes nothing).
   */
  jobs: readonly unknown[];
  /**
   * CPU-time limit per call in seconds (RLIMIT_CPU / SIGXCPU in the call's own process, rounded up to whole
   * seconds): load on the machine cannot flip a verdict.
   */
  cpuLimitSec: number;
  /** Wall-clock ceiling per call, for calls that sleep or block; default 2 × cpuLimitSec + 1. */
  wallLimitSec?: number;
}

export interface CallOutcome {
  /** ok: run(job) returned; timeout: a limit ended it; crashed: run raised (harness bug) or the process died. */
  status: 'ok' | 'timeout' | 'crashed';
  /** run(job)'s return value, when ok. */
  value?: unknown;
  /** timeout: 'cpu' | 'wall'; crashed: the exception class name, or 'NoResult' (killed by a signal/rlimit). */
  error?: string;
  /** CPU seconds and wall milliseconds the call took (for "seconds spent in runs that hit a limit"). */
  cpuSec: number;
  wallMs: number;
  cached: boolean;
}

export interface CallsResult {
  /** One per requested job, in request order. */
  outcomes: CallOutcome[];
  /**
   * Over the distinct jobs: run now, served from the cache, ended at a limit, and the wall seconds those took
   * (when they ran, for cached ones).
   */
  stats: { executed: number; cached: number; timeouts: number; timeoutSeconds: number };
}

/** How one candidate's dual-execution run ended (techniques §1.4). Anything but `ok` loses the whole vector. */
export type CandidateRunStatus =
  /** The harness ran every test; the row holds its verdicts. */
  | 'ok'
  /** The process passed its limit (per-test timeout × #tests + slack) and was killed. */
  | 'overrun'
  /** The program did not compile or raised while being defined. */
  | 'load_error'
  /** A BaseException (SystemExit, KeyboardInterrupt, ...) escaped the harness. */
  | 'escaped'
  /** The process died without a result (signal, rlimit, engine failure). */
  | 'crashed';

export interface CandidateRun {
  status: CandidateRunStatus;
  /** Exception class name for load_error / escaped / crashed, when known. */
  error?: string;
  /** Wall time of the job, from handing it to its process to its result. */
  durationMs: number;
  /** Per distinct test, its own duration in ms (empty when the vector is lost or the program replaced the timer). */
  testDurationsMs: number[];
  /** Indices of the distinct tests whose timer fired. */
  timedOutTests: number[];
  /** Served from the result cache. */
  cached: boolean;
}

export interface PythonMatrixRequest {
  /** Candidate programs (or completions appended to `prelude`); repeats are run once and counted. */
  candidates: readonly string[];
  /** Test statements (e.g. `assert f(1) == 2`); repeats are run once and counted. */
  tests: readonly string[];
  /** Prepended to every candidate, e.g. a HumanEval prompt; the program is `prelude + candidate + "\n"`. */
  prelude?: string;
  /** Each test's own interval timer. CodeT: 100. */
  perTestTimeoutMs: number;
  /** Added to perTestTimeoutMs × #distinct tests to form the process limit. CodeT: 100. */
  processSlackMs?: number;
  /**
   * A test that does not compile inside the harness function (e.g. `assert f(1)\nfrom m import *`, legal only at
   * module level). 'lose-vectors' (default, the reference: its one packed program fails to load, so every
   * candidate's vector is lost, status `load_error`, nothing runs); 'fail-test': only that test is false.
   */
  uncompilableTests?: 'lose-vectors' | 'fail-test';
  signal?: AbortSignal;
}

export interface PythonMatrixStats {
  /** Distinct candidates that ran in a process now. */
  executed: number;
  /** Distinct candidates served from the cache. */
  cached: number;
  /** Tests whose own timer fired (count over the matrix). */
  testTimeouts: number;
  /** Seconds those tests took. */
  testTimeoutSeconds: number;
  /** Candidates killed at the process limit. */
  processTimeouts: number;
  processTimeoutSeconds: number;
}

export interface PythonMatrixResult {
  /** Distinct candidates in order of first occurrence. */
  candidates: string[];
  /** How often each distinct candidate occurred in the request. */
  candidateCounts: number[];
  /** For each requested candidate, its index in `candidates`. */
  candidateIndex: number[];
  tests: string[];
  testCounts: number[];
  testIndex: number[];
  /** matrix[c][t]: distinct candidate c passes distinct test t. A lost vector is all false. */
  matrix: boolean[][];
  runs: CandidateRun[];
  processLimitMs: number;
  stats: PythonMatrixStats;
}

export type ProgramOutcome = 'passed' | 'failed' | 'timeout';

export interface ProgramRun {
  outcome: ProgramOutcome;
  /** Exception class name on failure (`TimeoutException` when the timer fired, `ProcessLimit` when killed). */
  error?: string;
  /** Time inside the program's timer, when the process reported it; else the process's wall time. */
  durationMs: number;
  /** Wall time of the job in its process. */
  processMs: number;
  cached: boolean;
}

export interface PythonProgramsRequest {
  programs: readonly string[];
  /** One timer around the whole program (compile and run). HumanEval ground truth: 100. */
  timeoutMs: number;
  /** The process is killed this long after it started; default timeoutMs + 1000 (CodeT's join). */
  joinMs?: number;
  signal?: AbortSignal;
}

export interface PythonProgramsResult {
  /** One per requested program (repeats share one run). */
  runs: ProgramRun[];
  stats: { executed: number; cached: number; timeouts: number; timeoutSeconds: number };
}

/** How one harness call ended (`runPythonCalls`). */
export type CallStatus =
  /** run(job) returned a JSON-serialisable value. */
  | 'ok'
  /** The CPU limit (error `cpu`) or the wall ceiling (error `wall`) ended it. */
  | 'timeout'
  /** run raised (error: the exception class, e.g. `SystemExit`), or the process died (`NoResult`, `WorkerDied`). */
  | 'crashed';

export interface CallRun {
  status: CallStatus;
  /** run(job)'s return value, when ok. */
  value?: unknown;
  error?: string;
  /** CPU seconds of the call's process (its rusage: user + system). */
  cpuSec: number;
  /** Wall time from the fork to the reply or the kill. */
  wallMs: number;
  /** Served from the result cache. */
  cached: boolean;
}

export interface PythonCallsRequest {
  /** Source of a Python module defining `run(job)`; registered once per worker and distinct source. */
  harness: string;
  /** One JSON value per call; identical jobs (same JSON text) run once and are answered in every place. */
  jobs: readonly unknown[];
  /** RLIMIT_CPU of each call's process, rounded up to whole seconds (the kernel's unit). */
  cpuLimitSec: number;
  /** Wall ceiling per call; default 2 × cpuLimitSec + 1. */
  wallLimitSec?: number;
  signal?: AbortSignal;
}

export interface PythonCallsResult {
  /** One per requested job, in request order. */
  runs: CallRun[];
  /**
   * Over the distinct jobs: run now (`executed`) or served from the cache (`cached`); those that ended at a limit
   * (`timeouts`) and the wall seconds they took when they ran (`timeoutSeconds`, cached ones included).
   */
  stats: { executed: number; cached: number; timeouts: number; timeoutSeconds: number };
}

/**
 * How one `python3 program.py` run ended, as MuTAP reads it: the exit status and whether stderr held the text
 * `AssertionError` (src/execution/mutap/mutap-harness.py reproduces both inside the engine's worker).
 */
export type ScriptOutcome =
  | {
      status: 'exited';
      /** The process's exit status (-2: killed by SIGINT after an uncaught KeyboardInterrupt). */
      exit: number;
      /** `AssertionError` appears in stderr. */
      assertion: boolean;
      /** The uncaught exception's class, or null. */
      error: string | null;
      /** stdout, when the caller asked for it. */
      stdout: string | null;
      /**
       * An uncaught MemoryError at the sandbox's address-space cap, after the program had grown to a quarter of it:
       * MuTAP's uncapped process would have grown on until its time limit, so the verdicts read it as a timeout.
       */
      memoryCap?: boolean;
    }
  /** A limit (CPU time or wall clock) ended it. */
  | { status: 'timeout' }
  /** The process died without a status (a signal, an rlimit): MuTAP sees a non-zero status without an assertion. */
  | { status: 'crashed'; error: string };

/** Runs whole programs (batched, in request order); `stdout: true` keeps their stdout. */
export type RunScripts = (sources: readonly string[], options?: { stdout?: boolean }) => Promise<ScriptOutcome[]>;

/** Stage 3's classes of one `PUT + assert` run. */
export type AssertVerdict = 'pass' | 'assertion' | 'error' | 'timeout';

export function assertVerdict(outcome: ScriptOutcome): AssertVerdict {
  if (outcome.status === 'timeout') return 'timeout';
  if (outcome.status === 'crashed') return 'error';
  if (outcome.memoryCap) return 'timeout';
  if (outcome.exit === 0) return 'pass';
  return outcome.exit === 1 && outcome.assertion ? 'assertion' : 'error';
}

/** Stage 5's verdict of one (mutant, test) run. */
export type MutantVerdict = 'killed' | 'survived' | 'problematic' | 'timeout';

/**
 * Exit 0: survived; exit 1 with AssertionError in stderr: killed; over the limit (or grown into the memory cap):
 * timeout; anything else: problematic.
 */
export function mutantVerdict(outcome: ScriptOutcome): MutantVerdict {
  if (outcome.status === 'timeout') return 'timeout';
  if (outcome.status === 'crashed') return 'problematic';
  if (outcome.memoryCap) return 'timeout';
  if (outcome.exit === 0) return 'survived';
  return outcome.exit === 1 && outcome.assertion ? 'killed' : 'problematic';
}

/**
 * Stage 8's "fails": an assertion error, any other runtime error or a timeout; a syntax error does not count
 * (the released minimiser skips exit status 2 and programs that do not compile).
 */
export function failsForMinimisation(outcome: ScriptOutcome): boolean {
  if (outcome.status !== 'exited') return true;
  return outcome.exit !== 0 && outcome.exit !== 2 && outcome.error !== 'SyntaxError';
}

/** One program-level test: what the program gets (stdin or argv) and, when recorded, the expected output. */
export interface ProgramTest {
  stdin?: string;
  args?: string[];
  /** The recorded output (CodeNet's `output`, compared line-stripped); absent when the C program is the only oracle. */
  expected?: string;
}

/** What one run of a built program did (cacheable, JSON-friendly). */
export interface ProgramRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outputLimitExceeded: boolean;
  durationMs: number;
}

/** How a run ended, in words, when it did not end normally; undefined for a normal exit (any code). */
export function abnormalEnding(run: ProgramRun, limitMs: number): string | undefined {
  if (run.timedOut) return `killed after the ${limitMs / 1000} s time limit (an infinite loop?)`;
  if (run.outputLimitExceeded) return 'killed: its output went past the output limit';
  if (run.signal) return `killed by signal ${run.signal}`;
  if (run.exitCode === 101) return 'panicked (exit code 101)';
  return undefined;
}

export const EXIT_STATUSES = [
  'passed',
  'exhausted:iterations',
  'exhausted:tokens',
  'exhausted:cost',
  'exhausted:time',
  'exhausted:calls',
  'failed',
  'invalid-input',
  'error',
  'diverged',
  'cancelled',
] as const;
export type ExitStatus = (typeof EXIT_STATUSES)[number];

/** Process exit codes; 2 is bad input (config, flags, task files), found before or during a run. */
export const EXIT_CODES: Record<ExitStatus, number> = {
  passed: 0,
  failed: 1,
  /** Bad input found once the run had started (a missing repository, prompt file or recording). */
  'invalid-input': 2,
  error: 3,
  'exhausted:iterations': 10,
  'exhausted:tokens': 11,
  'exhausted:cost': 12,
  'exhausted:time': 13,
  'exhausted:calls': 14,
  diverged: 20,
  /** The caller aborted the run (Ctrl-C, a batch shutting down); 128 + SIGINT, as shells report it. */
  cancelled: 130,
};
export const BAD_INPUT_EXIT_CODE = EXIT_CODES['invalid-input'];

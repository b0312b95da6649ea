export const EXIT_STATUSES = [
  'passed',
  'exhausted:iterations',
  'exhausted:tokens',
  'exhausted:cost',
  'exhausted:time',
  'exhausted:calls',
  'failed',
  'error',
  'diverged',
] as const;
export type ExitStatus = (typeof EXIT_STATUSES)[number];

/** Process exit codes; 2 is reserved for bad input (config, flags, task files). */
export const EXIT_CODES: Record<ExitStatus, number> = {
  passed: 0,
  failed: 1,
  error: 3,
  'exhausted:iterations': 10,
  'exhausted:tokens': 11,
  'exhausted:cost': 12,
  'exhausted:time': 13,
  'exhausted:calls': 14,
  diverged: 20,
};
export const BAD_INPUT_EXIT_CODE = 2;

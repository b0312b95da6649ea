import type { ExecutionError, Verdict } from '../execution-types.ts';

/** What a language's stderr says about a run that did not exit cleanly. */
export interface RuntimeFinding {
  verdict: Extract<Verdict, 'failed' | 'error' | 'memory'>;
  error: ExecutionError;
  expected?: string;
  actual?: string;
}

const TRACEBACK_MAX_LINES = 30;
const TRACEBACK_MAX_CHARS = 4000;

/** Keeps the end of a traceback: the innermost frames are the useful ones. */
export function trimTraceback(text: string): string {
  let lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length > TRACEBACK_MAX_LINES) lines = ['...', ...lines.slice(-TRACEBACK_MAX_LINES)];
  const out = lines.join('\n');
  return out.length > TRACEBACK_MAX_CHARS ? `...${out.slice(-TRACEBACK_MAX_CHARS)}` : out;
}

const OUT_OF_MEMORY = [
  /\bMemoryError\b/,
  /memory allocation of \d+ bytes failed/,
  /JavaScript heap out of memory/,
  /Fatal process out of memory/,
  /Array buffer allocation failed/,
  /std::bad_alloc/,
  /Cannot allocate memory/,
  /\bout of memory\b/i,
];

export function mentionsOutOfMemory(stderr: string): boolean {
  return OUT_OF_MEMORY.some((re) => re.test(stderr));
}

import type { RefineContext } from './refine-context.ts';
import type { AttemptRecord } from './refine-state.ts';

interface FailedCodes {
  /** The attempts read so far: the first and the last one, and how many. */
  first: AttemptRecord | undefined;
  last: AttemptRecord | undefined;
  count: number;
  codes: Set<string>;
}

const byRun = new WeakMap<RefineContext, FailedCodes>();

/**
 * Whether `code` is the code of an attempt in `attempts` that did not pass (`attempts.some(a => a.code === code &&
 * !a.passed)`), without reading every attempt at every coder step: the state's `attempts` only grows (its reducer
 * appends the same records to a new list), so the run keeps the failed codes read so far and reads only the
 * attempts added since. A list that does not continue the one read before (another run's, a test's) is read whole.
 */
export function failedBefore(ctx: RefineContext, attempts: readonly AttemptRecord[], code: string): boolean {
  let known = byRun.get(ctx);
  const continues =
    known !== undefined &&
    attempts.length >= known.count &&
    attempts[0] === known.first &&
    (known.count === 0 || attempts[known.count - 1] === known.last);
  if (!known || !continues) {
    known = { first: undefined, last: undefined, count: 0, codes: new Set() };
    byRun.set(ctx, known);
  }
  for (let i = known.count; i < attempts.length; i++) {
    const attempt = attempts[i]!;
    if (attempt.code !== null && !attempt.passed) known.codes.add(attempt.code);
  }
  known.first = attempts[0];
  known.last = attempts.at(-1);
  known.count = attempts.length;
  return known.codes.has(code);
}

import { describe, expect, it } from 'vitest';
import { failedBefore } from '../../../graphs/refine/failed-candidates.ts';
import type { RefineContext } from '../../../graphs/refine/refine-context.ts';
import type { AttemptRecord } from '../../../graphs/refine/refine-state.ts';

const attempt = (n: number, code: string | null, passed = false): AttemptRecord => ({
  attempt: n,
  code,
  verdict: passed ? 'passed' : code === null ? 'unparsed' : 'failed',
  visible: { passed: passed ? 1 : 0, total: 1 },
  tester: null,
  passed,
});
/** What `failedBefore` answers, read the plain way: every attempt, every time. */
const plainly = (attempts: AttemptRecord[], code: string) => attempts.some((a) => a.code === code && !a.passed);

describe('failedBefore', () => {
  it('answers as scanning every attempt, while the attempts grow as the state reducer grows them', () => {
    const ctx = {} as RefineContext;
    const codes = ['a', 'b', null, 'a', 'c', 'd', 'b'];
    let attempts: AttemptRecord[] = [];
    for (const [i, code] of codes.entries()) {
      for (const asked of ['a', 'b', 'c', 'd', 'e'])
        expect(failedBefore(ctx, attempts, asked)).toBe(plainly(attempts, asked));
      // The reducer: a new list holding the same records and the new one.
      attempts = [...attempts, attempt(i + 1, code, code === 'd')];
    }
    expect(failedBefore(ctx, attempts, 'a')).toBe(true);
    expect(failedBefore(ctx, attempts, 'd')).toBe(false); // it passed
  });

  it('reads a list that does not continue the one read before whole (another state of the same run)', () => {
    const ctx = {} as RefineContext;
    const long = [attempt(1, 'x'), attempt(2, 'y'), attempt(3, 'z')];
    expect(failedBefore(ctx, long, 'z')).toBe(true);
    // Shorter, and different records: not the list read before.
    const other = [attempt(1, 'q')];
    expect(failedBefore(ctx, other, 'z')).toBe(false);
    expect(failedBefore(ctx, other, 'q')).toBe(true);
    // Same length as read, but its first record is another one.
    const swapped = [attempt(1, 'r'), other[0]!];
    expect(failedBefore(ctx, swapped, 'r')).toBe(true);
    expect(failedBefore(ctx, [], 'r')).toBe(false);
  });

  it('keeps runs apart', () => {
    const one = {} as RefineContext;
    const two = {} as RefineContext;
    const attempts = [attempt(1, 'x')];
    expect(failedBefore(one, attempts, 'x')).toBe(true);
    expect(failedBefore(two, [attempt(1, 'y')], 'x')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { mutationScore, poolScores, suiteOnPutVerdict } from '../../../src/techniques/mutap/mutation-score.ts';
import {
  assertVerdict,
  failsForMinimisation,
  mutantVerdict,
  type ScriptOutcome,
} from '../../../src/techniques/mutap/script-outcome.ts';

const exited = (exit: number, assertion: boolean, error: string | null = null): ScriptOutcome => ({
  status: 'exited',
  exit,
  assertion,
  error,
  stdout: null,
});

describe("MuTAP's verdicts", () => {
  it('exit 0 survives, exit 1 with AssertionError in stderr is killed, a limit is a timeout, the rest problematic', () => {
    expect(mutantVerdict(exited(0, true))).toBe('survived');
    expect(mutantVerdict(exited(1, true))).toBe('killed');
    expect(mutantVerdict(exited(1, false))).toBe('problematic');
    expect(mutantVerdict(exited(2, true))).toBe('problematic');
    expect(mutantVerdict(exited(-2, false))).toBe('problematic');
    expect(mutantVerdict({ status: 'crashed', error: 'NoResult' })).toBe('problematic');
    expect(mutantVerdict({ status: 'timeout' })).toBe('timeout');
  });

  it('classifies a suite on its PUT and one assert on the PUT the same way', () => {
    expect(
      [exited(0, false), exited(1, true), exited(1, false), { status: 'timeout' } as const].map(suiteOnPutVerdict),
    ).toEqual(['pass', 'fail_assert', 'error', 'timeout']);
    expect(
      [exited(0, false), exited(1, true), exited(1, false), { status: 'timeout' } as const].map(assertVerdict),
    ).toEqual(['pass', 'assertion', 'error', 'timeout']);
  });

  it('counts errors and timeouts as failures for minimisation, but not a syntax error', () => {
    expect(failsForMinimisation(exited(1, false, 'TypeError'))).toBe(true);
    expect(failsForMinimisation({ status: 'timeout' })).toBe(true);
    expect(failsForMinimisation(exited(1, false, 'SyntaxError'))).toBe(false);
    expect(failsForMinimisation(exited(0, false))).toBe(false);
  });
});

describe('mutation scores', () => {
  it('MS = K/(K+S), null without either', () => {
    expect(mutationScore({ killed: 3, survived: 1, problematic: 5, timeout: 2 })).toBe(0.75);
    expect(mutationScore({ killed: 0, survived: 0, problematic: 5, timeout: 0 })).toBeNull();
  });

  it('pools sums first; the clean MS keeps only suites that pass on their PUT', () => {
    const pooled = poolScores([
      { counts: { killed: 4, survived: 0, problematic: 0, timeout: 0 }, suiteOnPut: 'fail_assert' },
      { counts: { killed: 1, survived: 1, problematic: 1, timeout: 1 }, suiteOnPut: 'pass' },
      { counts: { killed: 2, survived: 2, problematic: 0, timeout: 0 }, suiteOnPut: 'pass' },
    ]);
    expect(pooled.counts).toEqual({ killed: 7, survived: 3, problematic: 1, timeout: 1 });
    expect(pooled.ms).toBe(0.7);
    expect(pooled.msClean).toBe(0.5);
    expect([pooled.suites, pooled.cleanSuites]).toEqual([3, 2]);
  });
});

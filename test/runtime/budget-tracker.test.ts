import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../src/budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';

function exhausted(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof BudgetExhaustedError) return error.budget;
    throw error;
  }
  return undefined;
}

describe('BudgetTracker', () => {
  it('stops iterations at the cap', () => {
    const b = new BudgetTracker({ iterations: 2 });
    expect(b.startIteration()).toBe(1);
    expect(b.startIteration()).toBe(2);
    expect(exhausted(() => b.startIteration())).toBe('iterations');
  });

  it('checks tokens, cost and calls before a call, not after', () => {
    const b = new BudgetTracker({ tokens: 100, costUsd: 0.01, modelCalls: 3 });
    b.recordAttempt();
    b.recordUsage(60, 30, 0.004);
    expect(exhausted(() => b.checkBeforeModelCall())).toBeUndefined();
    b.recordAttempt();
    b.recordUsage(5, 5, 0.004);
    expect(exhausted(() => b.checkBeforeModelCall())).toBe('tokens');
    const c = new BudgetTracker({ costUsd: 0.01 });
    c.recordUsage(1, 1, 0.0099);
    expect(exhausted(() => c.checkBeforeModelCall())).toBeUndefined();
    c.recordUsage(1, 1, 0.005);
    expect(exhausted(() => c.checkBeforeModelCall())).toBe('cost');
    const d = new BudgetTracker({ modelCalls: 2 });
    d.recordAttempt();
    d.recordAttempt();
    expect(exhausted(() => d.checkBeforeModelCall())).toBe('calls');
  });

  it('stops on wall time with an injected clock', () => {
    let now = 1000;
    const b = new BudgetTracker({ wallSeconds: 5 }, () => now);
    expect(exhausted(() => b.checkBeforeModelCall())).toBeUndefined();
    now += 5000;
    expect(exhausted(() => b.checkBeforeModelCall())).toBe('time');
    expect(b.remainingWallMs()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../src/budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import { backoffMs, callWithRetries } from '../../src/models/call-with-retries.ts';
import { ModelHttpError } from '../../src/models/model-http-error.ts';

const overloaded = (attempt: number, retryAfterMs?: number) =>
  new ModelHttpError('HTTP 529', {
    provider: 'anthropic',
    model: 'm',
    status: 529,
    attempts: attempt,
    retryable: true,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

describe('callWithRetries', () => {
  it('backs off exponentially up to 8 s, with at most 25% jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => backoffMs(i, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(2, () => 0.999)).toBeGreaterThan(1500);
  });

  it('never sleeps past the wall budget, and then stops with a time budget error', async () => {
    let clock = 0;
    const budget = new BudgetTracker({ wallSeconds: 10 }, () => clock);
    const sleeps: number[] = [];
    const outcome = await callWithRetries(
      async (attempt) => {
        throw overloaded(attempt, 60_000);
      },
      { maxRetries: 5, maxRetryWaitMs: 120_000 },
      {
        budget,
        random: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
      },
    ).catch((e: unknown) => e);
    expect(sleeps).toEqual([10_000]);
    expect(outcome).toBeInstanceOf(BudgetExhaustedError);
    expect(outcome).toMatchObject({ budget: 'time' });
  });

  it('does not retry errors it does not know', async () => {
    let calls = 0;
    const outcome = await callWithRetries(
      async () => {
        calls += 1;
        throw new RangeError('bug');
      },
      { maxRetries: 3, maxRetryWaitMs: 1000 },
      { random: () => 0, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(RangeError);
    expect(calls).toBe(1);
  });
});

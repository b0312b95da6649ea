import type { BudgetTracker } from '../budget/budget-tracker.ts';
import { ModelError } from './model-error.ts';

/**
 * Refinery's only retry layer for model calls. The SDKs run with `maxRetries: 0`, so every HTTP attempt
 * passes through here and is checked against and counted in the budget before it is sent.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (config `maxRetries`). */
  maxRetries: number;
  /** Cap on any wait, the server's retry-after included (config `maxRetryWaitSec`, in ms). */
  maxRetryWaitMs: number;
}

export interface RetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  waitMs: number;
  error: ModelError;
}

export interface RetryDeps {
  budget?: BudgetTracker | undefined;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); drives backoff jitter. */
  random: () => number;
  signal?: AbortSignal | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/** Exponential backoff with up to 25% downward jitter: 0.5 s, 1 s, 2 s, ... capped at 8 s. */
export function backoffMs(retryIndex: number, random: () => number): number {
  const base = Math.min(INITIAL_BACKOFF_MS * 2 ** retryIndex, MAX_BACKOFF_MS);
  return base * (1 - 0.25 * random());
}

/** How long to wait before retrying after `error`: the server's wish if it said one, else backoff; capped. */
export function retryWaitMs(error: ModelError, retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const wanted = error.retryAfterMs ?? backoffMs(retryIndex, random);
  return Math.min(wanted, policy.maxRetryWaitMs);
}

export async function callWithRetries<T>(
  run: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt += 1) {
    deps.signal?.throwIfAborted();
    deps.budget?.checkBeforeModelCall();
    deps.budget?.recordAttempt();
    try {
      return { value: await run(attempt), attempts: attempt };
    } catch (error) {
      if (!(error instanceof ModelError) || !error.retryable || attempt > policy.maxRetries) throw error;
      deps.signal?.throwIfAborted();
      let waitMs = retryWaitMs(error, attempt - 1, policy, deps.random);
      // Never sleep past the wall budget: the check before the next attempt reports it instead.
      if (deps.budget) waitMs = Math.min(waitMs, deps.budget.remainingWallMs());
      deps.onRetry?.({ attempt, waitMs, error });
      await abortableSleep(deps.sleep, waitMs, deps.signal);
    }
  }
}

async function abortableSleep(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined) {
  if (!signal) return sleep(ms);
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

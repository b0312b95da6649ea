import type { BudgetConfig } from '../config/pipeline-config-schema.ts';
import type { BudgetTotals } from '../trajectory/trajectory-events.ts';
import { BudgetExhaustedError } from './budget-exhausted-error.ts';

/**
 * Counts what a run has spent. Limits are checked *before* each model call (and each HTTP attempt),
 * so a cap is exceeded by at most the one call that started under it.
 */
export class BudgetTracker {
  private iterations = 0;
  private modelCalls = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private costUsd = 0;
  private startedAt: number;

  constructor(
    readonly limits: BudgetConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  totals(): BudgetTotals {
    return {
      iterations: this.iterations,
      modelCalls: this.modelCalls,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.costUsd,
      wallMs: this.now() - this.startedAt,
    };
  }

  /** Throws the first exhausted budget among tokens, cost, time and calls. */
  checkBeforeModelCall(): void {
    const { tokens, costUsd, modelCalls } = this.limits;
    const used = this.inputTokens + this.outputTokens;
    if (tokens !== undefined && used >= tokens) throw new BudgetExhaustedError('tokens', used, tokens);
    if (costUsd !== undefined && this.costUsd >= costUsd) throw new BudgetExhaustedError('cost', this.costUsd, costUsd);
    if (modelCalls !== undefined && this.modelCalls >= modelCalls)
      throw new BudgetExhaustedError('calls', this.modelCalls, modelCalls);
    this.checkTime();
  }

  checkTime(): void {
    const { wallSeconds } = this.limits;
    const elapsed = this.now() - this.startedAt;
    if (wallSeconds !== undefined && elapsed >= wallSeconds * 1000)
      throw new BudgetExhaustedError('time', elapsed / 1000, wallSeconds);
  }

  /** Call when a new iteration is about to start; throws if the iteration cap is reached. */
  startIteration(): number {
    const { iterations } = this.limits;
    if (iterations !== undefined && this.iterations >= iterations)
      throw new BudgetExhaustedError('iterations', this.iterations, iterations);
    this.checkTime();
    this.iterations += 1;
    return this.iterations;
  }

  /** One HTTP attempt (retries included) counts as a call. */
  recordAttempt(): void {
    this.modelCalls += 1;
  }

  recordUsage(inputTokens: number, outputTokens: number, costUsd: number): void {
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
    this.costUsd += costUsd;
  }

  /** A resumed run continues from what the run had spent at its checkpoint (the wall clock included). */
  restore(totals: BudgetTotals): void {
    this.iterations = totals.iterations;
    this.modelCalls = totals.modelCalls;
    this.inputTokens = totals.inputTokens;
    this.outputTokens = totals.outputTokens;
    this.costUsd = totals.costUsd;
    this.startedAt = this.now() - totals.wallMs;
  }

  /** Milliseconds left of the wall budget, or Infinity. */
  remainingWallMs(): number {
    const { wallSeconds } = this.limits;
    if (wallSeconds === undefined) return Infinity;
    return Math.max(0, wallSeconds * 1000 - (this.now() - this.startedAt));
  }
}

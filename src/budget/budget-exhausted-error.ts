import { RefineryError } from '../errors/refinery-error.ts';
import type { ExitStatus } from '../runtime/exit-status.ts';

export type BudgetName = 'iterations' | 'tokens' | 'cost' | 'time' | 'calls';

export class BudgetExhaustedError extends RefineryError {
  override readonly name = 'BudgetExhaustedError';
  readonly code = 'BUDGET_EXHAUSTED';
  readonly exitStatus: ExitStatus;
  constructor(
    readonly budget: BudgetName,
    readonly used: number,
    readonly limit: number,
  ) {
    super(`budget '${budget}' exhausted: used ${used} of ${limit}`);
    this.exitStatus = `exhausted:${budget}`;
  }
}

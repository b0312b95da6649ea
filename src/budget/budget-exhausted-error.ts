export type BudgetName = 'iterations' | 'tokens' | 'cost' | 'time' | 'calls';

export class BudgetExhaustedError extends Error {
  override readonly name = 'BudgetExhaustedError';
  constructor(
    readonly budget: BudgetName,
    readonly used: number,
    readonly limit: number,
  ) {
    super(`budget '${budget}' exhausted: used ${used} of ${limit}`);
  }
}

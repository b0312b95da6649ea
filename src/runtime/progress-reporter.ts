import type { BudgetTotals } from '../trajectory/trajectory-events.ts';

export interface ProgressState {
  node?: string;
  iteration?: number;
  totals?: BudgetTotals;
  lastVerdict?: string;
  message?: string;
}

export interface ProgressReporter {
  update(state: ProgressState): void;
  finish(line: string): void;
}

export const silentProgress: ProgressReporter = { update() {}, finish() {} };

import type { ScoreFunctionName } from './codet-settings.ts';

/**
 * Score of a consensus set with `solutionCount` solution samples and `testCount` tests (duplicates counted on
 * both sides). `sqrt` is the released code's sqrt(nx)·ny; `product` is the paper's text nx·ny. Plain IEEE
 * doubles, so equal scores tie exactly as in the reference.
 */
export function scoreConsensusSet(score: ScoreFunctionName, solutionCount: number, testCount: number): number {
  switch (score) {
    case 'sqrt':
      return Math.sqrt(solutionCount) * testCount;
    case 'product':
      return solutionCount * testCount;
    case 'solutionsOnly':
      return solutionCount;
    case 'testsOnly':
      return testCount;
  }
}

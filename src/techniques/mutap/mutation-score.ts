import type { MutantVerdict, ScriptOutcome } from './script-outcome.ts';

/**
 * Mutation scores (techniques §3.2 stage 5, §3.5 "two MS formulas"). MuTAP's MS = killed / (killed + survived):
 * problematic and timed-out mutants are excluded. The "clean" MS counts only suites that pass on the PUT itself:
 * MuTAP never checks this, so a suite failing an assert on the PUT "kills" every mutant.
 */
export interface MutationCounts {
  killed: number;
  survived: number;
  problematic: number;
  timeout: number;
}

export const emptyCounts = (): MutationCounts => ({ killed: 0, survived: 0, problematic: 0, timeout: 0 });

export function countVerdicts(verdicts: Iterable<MutantVerdict>): MutationCounts {
  const counts = emptyCounts();
  for (const verdict of verdicts) counts[verdict] += 1;
  return counts;
}

export function addCounts(a: MutationCounts, b: MutationCounts): MutationCounts {
  return {
    killed: a.killed + b.killed,
    survived: a.survived + b.survived,
    problematic: a.problematic + b.problematic,
    timeout: a.timeout + b.timeout,
  };
}

/** MuTAP's MS, K/(K+S); null when no mutant was killed or survived. */
export function mutationScore(counts: MutationCounts): number | null {
  const denominator = counts.killed + counts.survived;
  return denominator === 0 ? null : counts.killed / denominator;
}

/** How a suite behaves on the unmutated PUT (the dataset's `suite_on_put`). */
export type SuiteOnPut = 'pass' | 'fail_assert' | 'error' | 'timeout';

export interface ScoredSuite {
  counts: MutationCounts;
  suiteOnPut: SuiteOnPut;
}

export interface PooledScores {
  counts: MutationCounts;
  /** MuTAP's MS over every suite. */
  ms: number | null;
  /** The same over the suites that pass on their PUT. */
  msClean: number | null;
  /** Counts over those suites. */
  cleanCounts: MutationCounts;
  suites: number;
  cleanSuites: number;
}

/** Pools per-task counts (sums first, then the ratio, as the released totals do). */
export function poolScores(suites: readonly ScoredSuite[]): PooledScores {
  let counts = emptyCounts();
  let cleanCounts = emptyCounts();
  let cleanSuites = 0;
  for (const suite of suites) {
    counts = addCounts(counts, suite.counts);
    if (suite.suiteOnPut === 'pass') {
      cleanCounts = addCounts(cleanCounts, suite.counts);
      cleanSuites += 1;
    }
  }
  return {
    counts,
    ms: mutationScore(counts),
    msClean: mutationScore(cleanCounts),
    cleanCounts,
    suites: suites.length,
    cleanSuites,
  };
}

/** The suite run on the PUT itself (PUT + test function + call): pass, a failing assert, another error, a limit. */
export function suiteOnPutVerdict(outcome: ScriptOutcome): SuiteOnPut {
  if (outcome.status === 'timeout') return 'timeout';
  if (outcome.status === 'crashed') return 'error';
  if (outcome.memoryCap) return 'timeout';
  if (outcome.exit === 0) return 'pass';
  return outcome.exit === 1 && outcome.assertion ? 'fail_assert' : 'error';
}

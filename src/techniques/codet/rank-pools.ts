import type { RankingSettings } from './codet-settings.ts';
import { type ConsensusSet, formConsensusSets, type StringMultiset, toMultiset } from './consensus-sets.ts';
import { scoreConsensusSet } from './score-consensus-set.ts';

/** Candidates ranked together: one consensus set, or several with equal scores merged. */
export interface RankedPool {
  score: number;
  /** Distinct completions → sample count in this pool; a multiset, duplicates included. */
  completions: StringMultiset;
  /** Samples in the pool (the sum of the counts). */
  size: number;
  /** The consensus sets that make up the pool. */
  sets: ConsensusSet[];
}

export interface DualAgreementRanking {
  /** Best first. Under fallback `random` this is one pool of all samples with score 0. */
  pools: RankedPool[];
  /** True when no solution passed any generated test, so the consensus ranking did not apply. */
  fallback: boolean;
  /** Production pick: the most frequent completion of the top pool, earliest-sampled on a tie. */
  pick: string | undefined;
  /** Every consensus set, in order of first completion (for explanations). */
  sets: ConsensusSet[];
}

export interface DualAgreementInput {
  /** Cleaned solution samples, in sampling order; duplicates are separate samples. */
  solutions: readonly string[];
  /** The limited test multiset (test → count). */
  tests: StringMultiset;
  /** The tests a distinct completion passes (its execution vector). */
  passed: (completion: string) => Iterable<string>;
  settings: RankingSettings;
}

/** Consensus sets → scores → ranked pools, with tie merging and the no-consensus fallback (techniques §1.5–1.6). */
export function rankByDualAgreement(input: DualAgreementInput): DualAgreementRanking {
  const solutions = toMultiset(input.solutions);
  const sets = formConsensusSets(solutions, input.tests, input.passed);
  if (sets.length === 0) {
    if (input.settings.fallback === 'none' || solutions.size === 0) {
      return { pools: [], fallback: true, pick: undefined, sets };
    }
    const all: RankedPool = { score: 0, completions: solutions, size: input.solutions.length, sets: [] };
    return { pools: [all], fallback: true, pick: input.solutions[0], sets };
  }
  const scored = sets
    .map((set) => ({ set, score: scoreConsensusSet(input.settings.score, set.solutionCount, set.testCount) }))
    .sort((a, b) => b.score - a.score); // stable: equal scores keep first-completion order
  const pools: RankedPool[] = [];
  for (const { set, score } of scored) {
    const last = pools.at(-1);
    const target =
      input.settings.ties === 'merge' && last !== undefined && last.score === score
        ? last
        : pools[pools.push({ score, completions: new Map(), size: 0, sets: [] }) - 1]!;
    target.sets.push(set);
    for (const completion of set.completions) {
      const count = solutions.get(completion) ?? 0;
      target.completions.set(completion, count);
      target.size += count;
    }
  }
  return { pools, fallback: false, pick: mostFrequent(pools[0]!.completions, solutions), sets };
}

function mostFrequent(pool: StringMultiset, sampleOrder: StringMultiset): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  let bestOrder = Infinity;
  const order = new Map([...sampleOrder.keys()].map((completion, index) => [completion, index]));
  for (const [completion, count] of pool) {
    const at = order.get(completion) ?? Infinity;
    if (count > bestCount || (count === bestCount && at < bestOrder)) {
      best = completion;
      bestCount = count;
      bestOrder = at;
    }
  }
  return best;
}

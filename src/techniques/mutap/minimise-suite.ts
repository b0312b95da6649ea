/**
 * Stage 8, greedy suite minimisation (techniques §3.2). Input: for each assert, the mutants on which
 * `mutant + that assert at module level` fails (`failsForMinimisation`). A set of asserts fails on the union of
 * its members' sets (a program stops at its first failing assert).
 */
export type MinimisationStrategy = 'sort-once' | 'set-cover';

export interface MinimisedSuite {
  /** Indices of the chosen asserts, in the order chosen. */
  chosen: number[];
  /** Mutants the chosen set fails on. */
  covered: number;
}

/**
 * `sort-once` (MuTAP's): keep asserts with a count above 0, sort by count descending (stable), walk the list and
 * add an assert only if the chosen set plus it fails on more mutants than the best so far.
 * `set-cover`: the textbook marginal-gain greedy: repeatedly add the assert that fails on the most mutants not yet
 * covered (ties: the lower index), until none adds any.
 */
export function minimiseSuite(
  failSets: readonly ReadonlySet<string>[],
  strategy: MinimisationStrategy = 'sort-once',
): MinimisedSuite {
  const covered = new Set<string>();
  const chosen: number[] = [];
  if (strategy === 'sort-once') {
    const order = failSets
      .map((set, index) => ({ index, count: set.size }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => b.count - a.count || a.index - b.index);
    for (const { index } of order) {
      const gain = [...failSets[index]!].filter((m) => !covered.has(m));
      if (gain.length === 0) continue;
      for (const m of gain) covered.add(m);
      chosen.push(index);
    }
    return { chosen, covered: covered.size };
  }
  const left = new Set(failSets.keys());
  for (;;) {
    let best = -1;
    let bestGain = 0;
    for (const index of left) {
      let gain = 0;
      for (const m of failSets[index]!) if (!covered.has(m)) gain += 1;
      if (gain > bestGain || (gain === bestGain && gain > 0 && index < best)) {
        best = index;
        bestGain = gain;
      }
    }
    if (best < 0) return { chosen, covered: covered.size };
    for (const m of failSets[best]!) covered.add(m);
    chosen.push(best);
    left.delete(best);
  }
}

/** The minimised file: the PUT, then the chosen asserts at module level (the released greedy files' shape). */
export function minimisedFile(code: string, asserts: readonly string[], chosen: readonly number[]): string {
  return `${code.replace(/\s*$/, '\n\n\n')}${chosen.map((i) => `${asserts[i]}\n`).join('')}`;
}

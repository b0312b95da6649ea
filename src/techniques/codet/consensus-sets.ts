/** A multiset of strings: value → count, in order of first occurrence. */
export type StringMultiset = Map<string, number>;

/** Counts every sample, keeping first-occurrence order. */
export function toMultiset(values: readonly string[]): StringMultiset {
  const multiset: StringMultiset = new Map();
  for (const value of values) multiset.set(value, (multiset.get(value) ?? 0) + 1);
  return multiset;
}

/** A group of solutions that pass exactly the same tests. */
export interface ConsensusSet {
  /** Distinct completions, in order of their first sample. */
  completions: string[];
  /** |S_x|: solution samples in the set, duplicates counted. */
  solutionCount: number;
  /** Distinct tests passed, in the order of the test multiset. */
  tests: string[];
  /** |S_y|: tests passed, duplicates counted. */
  testCount: number;
}

/**
 * Groups distinct completions by the exact set of distinct tests they pass (techniques §1.5).
 * `passed(completion)` gives the tests a completion passes; tests outside `tests` are ignored, and a completion
 * that passes none is in no set. Sets come out in order of their first completion.
 */
export function formConsensusSets(
  solutions: StringMultiset,
  tests: StringMultiset,
  passed: (completion: string) => Iterable<string>,
): ConsensusSet[] {
  const testList = [...tests.keys()];
  const testOrder = new Map(testList.map((test, index) => [test, index]));
  const byKey = new Map<string, ConsensusSet>();
  for (const [completion, count] of solutions) {
    const indices = [...new Set(passed(completion))]
      .map((test) => testOrder.get(test))
      .filter((index): index is number => index !== undefined)
      .sort((a, b) => a - b);
    if (indices.length === 0) continue;
    const key = indices.join(',');
    let set = byKey.get(key);
    if (set === undefined) {
      const passedTests = indices.map((index) => testList[index]!);
      set = {
        completions: [],
        solutionCount: 0,
        tests: passedTests,
        testCount: passedTests.reduce((sum, test) => sum + (tests.get(test) ?? 0), 0),
      };
      byKey.set(key, set);
    }
    set.completions.push(completion);
    set.solutionCount += count;
  }
  return [...byKey.values()];
}

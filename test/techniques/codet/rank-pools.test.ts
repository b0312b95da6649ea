import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_SETTINGS, type RankingSettings } from '../../../src/techniques/codet/codet-settings.ts';
import { formConsensusSets, toMultiset } from '../../../src/techniques/codet/consensus-sets.ts';
import { codetPassAtK, randomPassAtK } from '../../../src/techniques/codet/evaluate-ranking.ts';
import { drawsPerPool, rankedPassAtK, unbiasedPassAtK } from '../../../src/techniques/codet/pass-at-k.ts';
import { rankByDualAgreement } from '../../../src/techniques/codet/rank-pools.ts';
import { scoreConsensusSet } from '../../../src/techniques/codet/score-consensus-set.ts';

const settings = (overrides: Partial<RankingSettings> = {}): RankingSettings => ({
  ...DEFAULT_RANKING_SETTINGS,
  ...overrides,
});
const passes = (table: Record<string, string[]>) => (completion: string) => table[completion] ?? [];
const repeat = (value: string, times: number) => Array.from({ length: times }, () => value);

describe('consensus sets', () => {
  it('groups completions by the exact set of tests passed, counting duplicates on both sides', () => {
    const solutions = toMultiset(['A', 'B', 'A', 'C', 'A', 'C', 'D']);
    const tests = toMultiset(['t1', 't1', 't2', 't3']);
    const sets = formConsensusSets(solutions, tests, passes({ A: ['t1'], B: ['t2', 't1'], C: ['t1', 't2'], D: [] }));
    expect(sets).toEqual([
      { completions: ['A'], solutionCount: 3, tests: ['t1'], testCount: 2 },
      { completions: ['B', 'C'], solutionCount: 3, tests: ['t1', 't2'], testCount: 3 },
    ]);
  });

  it('ignores passed tests outside the limited multiset', () => {
    const sets = formConsensusSets(toMultiset(['A']), toMultiset(['t1']), passes({ A: ['t9'] }));
    expect(sets).toEqual([]);
  });
});

describe('scores', () => {
  it('computes sqrt(nx)·ny, nx·ny and the one-sided variants', () => {
    expect(scoreConsensusSet('sqrt', 4, 3)).toBe(6);
    expect(scoreConsensusSet('product', 4, 3)).toBe(12);
    expect(scoreConsensusSet('solutionsOnly', 4, 3)).toBe(4);
    expect(scoreConsensusSet('testsOnly', 4, 3)).toBe(3);
  });

  it('sqrt and product can pick different top pools', () => {
    // X: 4 samples passing 2 tests; Y: 1 sample passing 5 tests.
    const solutions = [...repeat('X', 4), 'Y'];
    const tests = toMultiset(['a', 'b', 'c', 'd', 'e']);
    const passed = passes({ X: ['a', 'b'], Y: ['a', 'b', 'c', 'd', 'e'] });
    const sqrt = rankByDualAgreement({ solutions, tests, passed, settings: settings({ score: 'sqrt' }) });
    const product = rankByDualAgreement({ solutions, tests, passed, settings: settings({ score: 'product' }) });
    expect(sqrt.pick).toBe('Y'); // sqrt(1)·5 = 5 > sqrt(4)·2 = 4
    expect(product.pick).toBe('X'); // 4·2 = 8 > 1·5 = 5
    expect(sqrt.pools.map((pool) => pool.score)).toEqual([5, 4]);
  });
});

describe('ranking', () => {
  // P: 4 samples, 1 test → sqrt 2; Q: 1 sample, 2 tests → 2; R: 1 sample, 1 test → 1.
  const solutions = [...repeat('P', 4), 'Q', 'R'];
  const tests = toMultiset(['t1', 't2', 't3']);
  const passed = passes({ P: ['t1'], Q: ['t2', 't3'], R: ['t3'] });

  it('merges equal scores into one pool', () => {
    const ranking = rankByDualAgreement({ solutions, tests, passed, settings: settings() });
    expect(ranking.fallback).toBe(false);
    expect(ranking.pools.map((pool) => [pool.score, pool.size, [...pool.completions]])).toEqual([
      [
        2,
        5,
        [
          ['P', 4],
          ['Q', 1],
        ],
      ],
      [1, 1, [['R', 1]]],
    ]);
    expect(ranking.pick).toBe('P');
  });

  it('keeps equal scores apart under ties: first, in sample order', () => {
    const ranking = rankByDualAgreement({ solutions, tests, passed, settings: settings({ ties: 'first' }) });
    expect(ranking.pools.map((pool) => [...pool.completions.keys()])).toEqual([['P'], ['Q'], ['R']]);
  });

  it('picks the most frequent completion of the top pool, the earliest sampled on a tie', () => {
    const ranking = rankByDualAgreement({
      solutions: ['B', 'A', 'A', 'B', 'C'],
      tests: toMultiset(['t']),
      passed: passes({ A: ['t'], B: ['t'], C: ['t'] }),
      settings: settings(),
    });
    expect(ranking.pools).toHaveLength(1);
    expect(ranking.pick).toBe('B');
  });

  it('falls back to one random pool of all samples when nothing passes', () => {
    const samples = ['A', 'B', 'A'];
    const ranking = rankByDualAgreement({
      solutions: samples,
      tests: toMultiset(['t']),
      passed: passes({}),
      settings: settings(),
    });
    expect(ranking.fallback).toBe(true);
    expect(ranking.pools).toHaveLength(1);
    expect(ranking.pools[0]!.size).toBe(3);
    expect(ranking.pick).toBe('A');
    // Under the fallback pass@k is the unbiased estimator, not draws with replacement from the one pool.
    const correct = (c: string) => c === 'B';
    expect(codetPassAtK(ranking, correct, 2)).toBeCloseTo(unbiasedPassAtK(3, 1, 2), 12);
    expect(codetPassAtK(ranking, correct, 2)).not.toBeCloseTo(1 - (2 / 3) ** 2, 6);
  });

  it('gives no pools and pass@k 0 under fallback: none', () => {
    const ranking = rankByDualAgreement({
      solutions: ['B'],
      tests: toMultiset([]),
      passed: passes({}),
      settings: settings({ fallback: 'none' }),
    });
    expect(ranking.pools).toEqual([]);
    expect(ranking.pick).toBeUndefined();
    expect(codetPassAtK(ranking, () => true, 1)).toBe(0);
  });
});

describe('pass@k', () => {
  it('spreads spare draws round-robin from the top pool', () => {
    expect(drawsPerPool(3, 10)).toEqual([4, 3, 3]);
    expect(drawsPerPool(2, 3)).toEqual([2, 1]);
    expect(drawsPerPool(5, 2)).toEqual([1, 1]);
    expect(drawsPerPool(0, 2)).toEqual([]);
  });

  it('is 1 − Π((n−c)/n)^draws over the ranked pools', () => {
    const pools = [
      { n: 4, c: 1 },
      { n: 2, c: 1 },
      { n: 3, c: 0 },
    ];
    expect(rankedPassAtK(pools, 1)).toBeCloseTo(1 / 4, 12);
    expect(rankedPassAtK(pools, 2)).toBeCloseTo(1 - (3 / 4) * (1 / 2), 12);
    expect(rankedPassAtK(pools, 10)).toBeCloseTo(1 - (3 / 4) ** 4 * (1 / 2) ** 3, 12);
  });

  it('evaluates a ranking with pool counts taken from the ground truth', () => {
    const ranking = rankByDualAgreement({
      solutions: ['good', 'bad', 'bad', 'other'],
      tests: toMultiset(['t']),
      passed: passes({ good: ['t'], bad: ['t'] }),
      settings: settings(),
    });
    // One pool {good×1, bad×2}; 'other' is in no pool.
    expect(codetPassAtK(ranking, (c) => c === 'good', 1)).toBeCloseTo(1 / 3, 12);
    expect(codetPassAtK(ranking, (c) => c === 'good', 2)).toBeCloseTo(1 - (2 / 3) ** 2, 12);
  });

  it('unbiased estimator equals 1 − C(n−c,k)/C(n,k)', () => {
    expect(unbiasedPassAtK(5, 2, 2)).toBeCloseTo(1 - 3 / 10, 12);
    expect(unbiasedPassAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(unbiasedPassAtK(100, 0, 100)).toBe(0);
    expect(unbiasedPassAtK(100, 1, 100)).toBe(1);
    expect(unbiasedPassAtK(4, 3, 2)).toBe(1); // n − c < k
    expect(randomPassAtK(['a', 'b', 'b', 'a', 'a'], (c) => c === 'b', 2)).toBeCloseTo(0.7, 12);
  });
});

import type { DualAgreementRanking } from './rank-pools.ts';

export interface RankingExplanation {
  /** One paragraph for humans (the critic's note in the trajectory). */
  text: string;
  /** The top pools: score, samples, distinct completions, and the tests its solutions agree on. */
  topPools: { rank: number; score: number; samples: number; completions: number; tests: string[]; testCount: number }[];
}

/**
 * Why the ranking picked what it picked: consensus set sizes and which tests agree with the top pool.
 * `limit` bounds how many pools and tests are listed.
 */
export function explainRanking(ranking: DualAgreementRanking, totalSamples: number, limit = 3): RankingExplanation {
  if (ranking.fallback) {
    const text =
      ranking.pools.length === 0
        ? `No solution passed any generated test, and the fallback is off: nothing is picked.`
        : `No solution passed any generated test (${ranking.sets.length} consensus sets), so there is no agreement ` +
          `to rank by: all ${totalSamples} samples form one pool and the pick is the first sample.`;
    return { text, topPools: [] };
  }
  const topPools = ranking.pools.slice(0, limit).map((pool, index) => {
    const tests = [...new Set(pool.sets.flatMap((set) => set.tests))];
    return {
      rank: index + 1,
      score: pool.score,
      samples: pool.size,
      completions: pool.completions.size,
      tests: tests.slice(0, 5),
      testCount: pool.sets.reduce((max, set) => Math.max(max, set.testCount), 0),
    };
  });
  const top = topPools[0]!;
  const topPool = ranking.pools[0]!;
  const lines = [
    `${ranking.sets.length} consensus sets from ${totalSamples} solution samples; ${ranking.pools.length} ranked pools.`,
    `Top pool: score ${round(top.score)}, ${top.samples} samples (${top.completions} distinct completions)` +
      (topPool.sets.length > 1 ? `, ${topPool.sets.length} sets merged on an equal score` : '') +
      `, agreeing on ${top.testCount} generated tests (duplicates counted), e.g.:`,
    ...top.tests.map((test) => `  ${firstLine(test)}`),
  ];
  for (const pool of topPools.slice(1)) {
    lines.push(`Pool ${pool.rank}: score ${round(pool.score)}, ${pool.samples} samples, ${pool.testCount} tests.`);
  }
  return { text: lines.join('\n'), topPools };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function firstLine(test: string): string {
  const line = test.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

import { rankedPassAtK, unbiasedPassAtK } from './pass-at-k.ts';
import type { DualAgreementRanking } from './rank-pools.ts';

/**
 * CodeT pass@k of one task: over the ranked pools, or, under the `random` fallback (one pool of all samples),
 * the unbiased random pass@k of all samples. `correct(completion)` is the ground truth.
 */
export function codetPassAtK(
  ranking: DualAgreementRanking,
  correct: (completion: string) => boolean,
  k: number,
): number {
  const pools = ranking.pools.map((pool) => {
    let c = 0;
    for (const [completion, count] of pool.completions) if (correct(completion)) c += count;
    return { n: pool.size, c };
  });
  if (ranking.fallback) {
    const all = pools[0];
    return all === undefined ? 0 : unbiasedPassAtK(all.n, all.c, k);
  }
  return rankedPassAtK(pools, k);
}

/** The random baseline of one task: unbiased pass@k over all samples. */
export function randomPassAtK(samples: readonly string[], correct: (completion: string) => boolean, k: number): number {
  const c = samples.filter(correct).length;
  return unbiasedPassAtK(samples.length, c, k);
}

/**
 * The unbiased pass@k estimator 1 − C(n−c, k)/C(n, k) for n samples of which c are correct, computed as the
 * reference does (a product, no big binomials).
 */
export function unbiasedPassAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}

/** A ranked pool reduced to what evaluation needs. */
export interface PoolCounts {
  /** Samples in the pool. */
  n: number;
  /** Correct samples in the pool. */
  c: number;
}

/**
 * How many draws each of the first pools gets for pass@k: one from each of the first k pools; with p < k
 * pools, spare draw j goes to pool j mod p.
 */
export function drawsPerPool(poolCount: number, k: number): number[] {
  if (poolCount === 0) return [];
  if (poolCount >= k) return Array.from({ length: k }, () => 1);
  const draws = Array.from({ length: poolCount }, () => 1);
  for (let j = 0; j < k - poolCount; j++) draws[j % poolCount]! += 1;
  return draws;
}

/**
 * pass@k over ranked pools: 1 − Π ((n_i − c_i)/n_i)^draws_i, an expected value over the random draw inside each
 * pool. No pools → 0.
 */
export function rankedPassAtK(pools: readonly PoolCounts[], k: number): number {
  const draws = drawsPerPool(pools.length, k);
  if (draws.length === 0) return 0;
  let allWrong = 1;
  draws.forEach((count, i) => {
    const pool = pools[i]!;
    const wrong = pool.n === 0 ? 1 : (pool.n - pool.c) / pool.n;
    allWrong *= wrong ** count;
  });
  return 1 - allWrong;
}

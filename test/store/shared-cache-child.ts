/**
 * A child process for test/store/shared-cache.test.ts: opens the store ARGV[2] (which shares the engine's result
 * caches), evaluates a small CodeT matrix with its own empty disk cache ARGV[3], and prints the matrix, its
 * stats and the cache counters as JSON.
 */
import { evaluatePythonMatrix } from '../../src/execution/batch/evaluate-python-matrix.ts';
import { PythonWorkerPool } from '../../src/execution/batch/python-worker-pool.ts';
import { resultCacheAt } from '../../src/execution/cache/result-cache.ts';
import { openStore } from '../../src/store/open-store.ts';

export const MATRIX_REQUEST = {
  prelude: 'def add(a, b):\n',
  candidates: ['    return a + b', '    return a - b', '    return b + a', '    return a * b'],
  tests: ['assert add(1, 2) == 3', 'assert add(2, 2) == 4', 'assert add(0, 0) == 0'],
  perTestTimeoutMs: 500,
};

if (process.argv[1] === import.meta.filename) {
  const [url, cacheDir] = process.argv.slice(2) as [string, string];
  const store = await openStore(url);
  const pool = new PythonWorkerPool({ size: 1 });
  const cache = resultCacheAt(cacheDir);
  const result = await evaluatePythonMatrix(MATRIX_REQUEST, { pool, cache });
  await pool.close();
  await store.close();
  process.stdout.write(`${JSON.stringify({ matrix: result.matrix, stats: result.stats, counters: cache.counters })}\n`);
}

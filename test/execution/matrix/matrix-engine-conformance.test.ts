import { afterAll } from 'vitest';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { createBatchMatrixEngine } from '../../../src/execution/matrix/batch-matrix-engine.ts';
import { describeMatrixEngineConformance } from '../../../src/testing/matrix-engine-conformance.ts';
import { bubblewrapHere } from '../../support/sandbox-under-test.ts';

// One worker each, so consecutive candidates meet the same runner whenever isolation is `reuse` (needs bubblewrap;
// without it the pool forks per job either way, and the suite's name says so).
const reuse = new PythonWorkerPool({ size: 1, isolation: 'reuse' });
const fork = new PythonWorkerPool({ size: 1, isolation: 'fork' });
afterAll(async () => {
  await reuse.close();
  await fork.close();
});

describeMatrixEngineConformance(
  bubblewrapHere
    ? 'batch engine, isolation reuse (bwrap)'
    : 'batch engine, isolation reuse (rlimit-only fallback: bubblewrap unavailable, so a fork per job)',
  () => createBatchMatrixEngine({ pool: reuse, cache: false }),
  { makeCachedEngine: (cache) => createBatchMatrixEngine({ pool: reuse, cache }) },
);
describeMatrixEngineConformance(
  `batch engine, isolation fork (${bubblewrapHere ? 'bwrap' : 'rlimit-only fallback'})`,
  () => createBatchMatrixEngine({ pool: fork, cache: false }),
  { makeCachedEngine: (cache) => createBatchMatrixEngine({ pool: fork, cache }) },
);

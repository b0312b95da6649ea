import { afterAll, describe, expect, it } from 'vitest';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { createBatchMatrixEngine } from '../../../src/execution/matrix/batch-matrix-engine.ts';

const pool = new PythonWorkerPool({ size: 1 });
afterAll(() => pool.close());

const prompt = 'import time\ndef f(x):\n';
const completions = ['    time.sleep(0.03)\n    return x', '    return x'];
const tests = ['assert f(1) == 1', 'assert f(2) == 3'];

describe('timing what-if (bench codet --timing-what-if)', () => {
  it('leaves measured verdicts alone at 1 and turns runs that would reach the limit into timeouts above it', async () => {
    const measured = createBatchMatrixEngine({ pool, cache: false });
    const slower = createBatchMatrixEngine({ pool, cache: false }, { slowdown: 4 });
    const request = { prelude: prompt, candidates: completions, tests, perTestTimeoutSec: 0.1 };
    expect((await measured.runMatrix(request)).rows).toEqual([
      [true, false],
      [true, false],
    ]);
    // 30 ms × 4 reaches 100 ms: the sleeping candidate's passing test fails; the fast one is untouched
    expect((await slower.runMatrix(request)).rows).toEqual([
      [false, false],
      [true, false],
    ]);
    const groundTruth = { programs: completions.map((c) => `${prompt}${c}\nassert f(5) == 5`), timeoutSec: 0.1 };
    expect((await measured.runPrograms(groundTruth)).outcomes).toEqual(['passed', 'passed']);
    expect((await slower.runPrograms(groundTruth)).outcomes).toEqual(['timeout', 'passed']);
  });
});

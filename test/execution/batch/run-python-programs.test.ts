import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePythonMatrix } from '../../../src/execution/batch/evaluate-python-matrix.ts';
import {
  closeSharedPythonWorkerPool,
  PythonWorkerPool,
  sharedPythonWorkerPool,
} from '../../../src/execution/batch/python-worker-pool.ts';
import { runPythonPrograms } from '../../../src/execution/batch/run-python-programs.ts';

const pool = new PythonWorkerPool({ size: 2 });
afterAll(async () => {
  await pool.close();
  await closeSharedPythonWorkerPool();
});

describe('runPythonPrograms', () => {
  it('reports passed, failed and timeout under one whole-program timer', async () => {
    const programs = [
      'def f(x):\n    return x * 2\nassert f(2) == 4',
      'assert 1 == 2',
      'while True:\n    pass',
      'import sys\nsys.exit(0)',
      'assert 1 == 2',
      // catches the timer, keeps spinning: killed at the join limit
      'while True:\n    try:\n        while True:\n            pass\n    except Exception:\n        pass',
    ];
    // 1 s, not 0.1 s: the suite runs files in parallel on 2 cores, and a loaded first job must still pass
    const result = await runPythonPrograms({ programs, timeoutMs: 1000, joinMs: 2500 }, { pool, cache: false });
    expect(result.runs.map((r) => r.outcome)).toEqual(['passed', 'failed', 'timeout', 'failed', 'failed', 'timeout']);
    expect(result.runs[1]!.error).toBe('AssertionError');
    expect(result.runs[2]!.error).toBe('TimeoutException');
    expect(result.runs[3]!.error).toBe('SystemExit');
    expect(result.runs[5]!.error).toBe('ProcessLimit');
    // the repeated program ran once
    expect(result.stats.executed).toBe(5);
    expect(result.stats.timeouts).toBe(2);
  });

  it('isolates programs from each other: state set by one is not seen by the next', async () => {
    const programs = [
      'import math\nmath.pi = 3\nassert math.pi == 3',
      'import math\nassert math.pi > 3.14',
      'import builtins\nbuiltins.len = None',
      'assert len([1]) == 1',
    ];
    const result = await runPythonPrograms({ programs, timeoutMs: 500 }, { pool, cache: false });
    expect(result.runs.map((r) => r.outcome)).toEqual(['passed', 'passed', 'passed', 'passed']);
  });

  it('survives a program that kills its worker, and the pool keeps serving', async () => {
    const startedBefore = pool.counters.started;
    const result = await runPythonPrograms(
      {
        programs: ['import posix, signal\nposix.kill(posix.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(1)'],
        timeoutMs: 2000,
      },
      { pool, cache: false },
    );
    expect(result.runs[0]!.outcome).toBe('failed');
    expect(result.runs[0]!.error).toBe('WorkerDied');
    expect(pool.counters.started).toBeGreaterThan(startedBefore);
    const after = await runPythonPrograms({ programs: ['assert True'], timeoutMs: 100 }, { pool, cache: false });
    expect(after.runs[0]!.outcome).toBe('passed');
  });
});

describe('the shared pool', () => {
  it('is one pool for all callers, serving concurrent calls', async () => {
    expect(sharedPythonWorkerPool()).toBe(sharedPythonWorkerPool());
    const calls = Array.from({ length: 4 }, (_, i) =>
      evaluatePythonMatrix(
        {
          prelude: 'def f():\n',
          candidates: [`    return ${i + 1}`, '    return 0'],
          tests: [`assert f() == ${i + 1}`],
          perTestTimeoutMs: 100,
        },
        { cache: false },
      ),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.matrix.map((row) => row[0]))).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [true, false],
    ]);
    expect(sharedPythonWorkerPool().counters.started).toBe(sharedPythonWorkerPool().workerCount);
    expect(sharedPythonWorkerPool().counters.executed).toBe(8);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import type { ProgramRun } from '../../../src/execution/batch/batch-types.ts';
import { evaluatePythonMatrix } from '../../../src/execution/batch/evaluate-python-matrix.ts';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { runPythonPrograms } from '../../../src/execution/batch/run-python-programs.ts';
import { bubblewrapHere, sandboxHereLabel } from '../../support/sandbox-under-test.ts';

// One worker, so consecutive jobs meet the same runner. `reuse` needs bubblewrap's PID namespace: without it the
// pool forks per job (the rlimit-only fallback), and the leak tests below check that path instead.
const pool = new PythonWorkerPool({ size: 1, isolation: 'reuse' });
const forkPool = new PythonWorkerPool({ size: 1, isolation: 'fork' });
afterAll(async () => {
  await pool.close();
  await forkPool.close();
});

async function run(source: string, target = pool): Promise<ProgramRun> {
  const result = await runPythonPrograms({ programs: [source], timeoutMs: 2000 }, { pool: target, cache: false });
  return result.runs[0]!;
}

/** A job that changes the process, then one that would see the change: the second must run as in a fresh process. */
const leaks: [string, string, string][] = [
  ['a rebound module attribute', 'import math\nmath.pi = 3', 'import math\nassert math.pi > 3.14'],
  ['a replaced builtin', 'import builtins\nbuiltins.len = lambda x: 0', 'assert len([1, 2]) == 2'],
  ['a deleted builtin', 'import builtins\ndel builtins.sorted', 'assert sorted([2, 1]) == [1, 2]'],
  // setting a variable fails (putenv is nulled, as in CodeT's harness); removing one works
  ['a removed environment variable', "import os\ndel os.environ['PATH']", "import os\nassert 'PATH' in os.environ"],
  [
    'the recursion limit',
    'import sys\nsys.setrecursionlimit(60)',
    'def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nassert f(200) == 200',
  ],
  [
    'a patched stdlib class',
    'import collections\ncollections.Counter.most_common = lambda self, n=None: []',
    "import collections\nassert collections.Counter('aab').most_common(1) == [('a', 2)]",
  ],
  [
    'a warnings filter',
    "import warnings\nwarnings.simplefilter('error')",
    "import warnings\nwarnings.warn('only a warning')",
  ],
  [
    'an armed CPU timer',
    'import signal\nsignal.setitimer(signal.ITIMER_VIRTUAL, 0.05)',
    'x = 0\nfor i in range(3_000_000):\n    x += i',
  ],
  [
    'a running thread',
    'import threading, time\nthreading.Thread(target=time.sleep, args=(3,), daemon=True).start()',
    'import threading\nassert threading.active_count() == 1',
  ],
  [
    'a signal handler',
    'import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)',
    'import signal\nassert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL',
  ],
  ['an imported module', 'import fractions', "import sys\nassert 'fractions' not in sys.modules"],
  [
    'a sys.path entry',
    "import sys\nsys.path.insert(0, '/nonexistent')",
    "import sys\nassert '/nonexistent' not in sys.path",
  ],
];

describe(`batch isolation (${sandboxHereLabel})`, () => {
  it.each(leaks)('a job never sees %s left by the job before it', async (_name, polluter, probe) => {
    expect((await run(polluter)).outcome).toBe('passed');
    const after = await run(probe);
    expect(after.error ?? null).toBeNull();
    expect(after.outcome).toBe('passed');
  });

  if (bubblewrapHere) {
    it('serves clean jobs from one runner and replaces it only when a job changed something', async () => {
      expect(await pool.describe()).toMatchObject({ mode: 'bwrap', isolation: 'reuse' });
      const before = await pool.usage();
      for (let i = 0; i < 5; i++) expect((await run(`x = ${i}\nassert x == ${i}`)).outcome).toBe('passed');
      const middle = await pool.usage();
      // the usage call itself retires the live runner, so 5 clean jobs cost exactly one fork
      expect(middle.forks - before.forks).toBe(1);
      // imports are forgotten after the job, without a fork
      expect((await run('import fractions\nassert fractions.Fraction(1, 2) * 2 == 1')).outcome).toBe('passed');
      expect((await run("import sys\nassert 'fractions' not in sys.modules")).outcome).toBe('passed');
      const afterImports = await pool.usage();
      expect(afterImports.forks - middle.forks).toBe(1);
      await run('import math\nmath.tau = 1');
      await run('x = 1');
      const after = await pool.usage();
      expect(after.forks - afterImports.forks).toBe(2);
      expect((after.retired['module'] ?? 0) - (afterImports.retired['module'] ?? 0)).toBe(1);
    });
  } else {
    it('without bubblewrap, isolation reuse falls back to a fork for every job, clean jobs included', async () => {
      expect(await pool.describe()).toMatchObject({ mode: 'rlimit-only', isolation: 'fork' });
      const before = await pool.usage();
      for (let i = 0; i < 5; i++) expect((await run(`x = ${i}\nassert x == ${i}`)).outcome).toBe('passed');
      const after = await pool.usage();
      expect(after.forks - before.forks).toBe(5);
    });
  }

  it('forgets the imports of a job stopped by its timer', async () => {
    expect((await run('import fractions\nwhile True:\n    pass')).outcome).toBe('timeout');
    expect((await run("import sys\nassert 'fractions' not in sys.modules")).outcome).toBe('passed');
  });

  it('re-runs a job whose runner died in a fresh fork of its own, and the next job still passes', async () => {
    const crashed = await run('import os\nos._exit(3)');
    expect(crashed.outcome).toBe('failed');
    expect(crashed.error).toBe('NoResult');
    expect((await run('assert 1 + 1 == 2')).outcome).toBe('passed');
  });

  it('falls back to a fork per job without bubblewrap, where strays could not be found between jobs', async () => {
    const bare = new PythonWorkerPool({ size: 1, sandbox: 'none' });
    try {
      expect((await bare.describe()).isolation).toBe('fork');
      expect((await run('import math\nmath.pi = 3', bare)).outcome).toBe('passed');
      expect((await run('import math\nassert math.pi > 3.14', bare)).outcome).toBe('passed');
      const usage = await bare.usage();
      expect(usage.forks).toBe(2);
    } finally {
      await bare.close();
    }
  });

  it('gives the same matrix as a fork per job, polluting candidates included', async () => {
    const request = {
      prelude: 'import math\n',
      candidates: [
        'def area(r):\n    return math.pi * r * r',
        'math.pi = 3\ndef area(r):\n    return math.pi * r * r',
        'def area(r):\n    return 3.14159 * r * r',
        'import builtins\nbuiltins.round = lambda x, n=0: 0\ndef area(r):\n    return math.pi * r * r',
        'def area(r):\n    while True:\n        pass',
      ],
      tests: ['assert round(area(1), 2) == 3.14', 'assert area(0) == 0', 'assert round(area(2)) == 13'],
      perTestTimeoutMs: 500,
    };
    const reused = await evaluatePythonMatrix(request, { pool, cache: false });
    const forked = await evaluatePythonMatrix(request, { pool: forkPool, cache: false });
    expect(reused.matrix).toEqual(forked.matrix);
    expect(reused.matrix).toEqual([
      [true, true, true],
      [false, true, false],
      [true, true, true],
      [false, true, false],
      [false, false, false],
    ]);
  });
});

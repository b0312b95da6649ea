import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePythonMatrix } from '../../../src/execution/batch/evaluate-python-matrix.ts';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { ResultCache } from '../../../src/execution/cache/result-cache.ts';

const pool = new PythonWorkerPool({ size: 2 });
const scratch = mkdtempSync(join(tmpdir(), 'refinery-batch-test-'));
afterAll(async () => {
  await pool.close();
  rmSync(scratch, { recursive: true, force: true });
});

const prelude = 'def add(a, b):\n';
const uncached = { pool, cache: false } as const;

describe('evaluatePythonMatrix', () => {
  it('runs identical candidates and tests once and counts them', async () => {
    const before = pool.counters.executed;
    const result = await evaluatePythonMatrix(
      {
        prelude,
        candidates: ['    return a + b', '    return a - b', '    return a + b', '    return a + b'],
        tests: ['assert add(1, 2) == 3', 'assert add(2, 2) == 0', 'assert add(1, 2) == 3'],
        perTestTimeoutMs: 100,
      },
      uncached,
    );
    expect(result.candidates).toEqual(['    return a + b', '    return a - b']);
    expect(result.candidateCounts).toEqual([3, 1]);
    expect(result.candidateIndex).toEqual([0, 1, 0, 0]);
    expect(result.testCounts).toEqual([2, 1]);
    expect(result.testIndex).toEqual([0, 1, 0]);
    expect(result.matrix).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(pool.counters.executed - before).toBe(2);
    expect(result.stats.executed).toBe(2);
    expect(result.processLimitMs).toBe(300);
  });

  it('fails only the test whose own timer fires', async () => {
    const result = await evaluatePythonMatrix(
      {
        prelude,
        candidates: ['    while a < 0:\n        pass\n    return a + b'],
        tests: ['assert add(1, 1) == 2', 'assert add(-1, 1) == 0', 'assert add(2, 3) == 5'],
        perTestTimeoutMs: 100,
      },
      uncached,
    );
    expect(result.runs[0]!.status).toBe('ok');
    expect(result.matrix[0]).toEqual([true, false, true]);
    expect(result.runs[0]!.timedOutTests).toEqual([1]);
    expect(result.runs[0]!.testDurationsMs[1]).toBeGreaterThanOrEqual(100);
    expect(result.stats.testTimeouts).toBe(1);
  });

  it('loses the whole vector on SystemExit, definition-time errors, syntax errors and a spin after the timer', async () => {
    const candidates = [
      '    raise SystemExit(0)',
      '    return a + b\nraise ValueError("at definition time")',
      '    return a +',
      // catches the timer's exception and keeps spinning: only the process limit stops it
      '    while True:\n        try:\n            while True:\n                pass\n        except Exception:\n            pass',
      '    return a + b',
    ];
    const result = await evaluatePythonMatrix(
      { prelude, candidates, tests: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'], perTestTimeoutMs: 100 },
      uncached,
    );
    expect(result.runs.map((r) => r.status)).toEqual(['escaped', 'load_error', 'load_error', 'overrun', 'ok']);
    expect(result.runs[0]!.error).toBe('SystemExit');
    expect(result.runs[1]!.error).toBe('ValueError');
    expect(result.runs[2]!.error).toBe('SyntaxError');
    expect(result.matrix.slice(0, 4)).toEqual([
      [false, false],
      [false, false],
      [false, false],
      [false, false],
    ]);
    expect(result.matrix[4]).toEqual([true, true]);
    expect(result.stats.processTimeouts).toBe(1);
    expect(result.runs[3]!.durationMs).toBeGreaterThanOrEqual(result.processLimitMs);
  });

  it('loses every vector when one test cannot compile inside the harness, unless told to fail that test only', async () => {
    const request = {
      prelude,
      candidates: ['    return a + b', '    return a - b'],
      // legal at module level, a SyntaxError inside the harness function: the reference's packed program fails to load
      tests: ['assert add(1, 2) == 3', 'assert add(2, 2) == 4\nfrom math import *'],
      perTestTimeoutMs: 100,
    };
    const strict = await evaluatePythonMatrix(request, uncached);
    expect(strict.runs.map((r) => [r.status, r.error])).toEqual([
      ['load_error', 'SyntaxError'],
      ['load_error', 'SyntaxError'],
    ]);
    expect(strict.matrix).toEqual([
      [false, false],
      [false, false],
    ]);
    const lenient = await evaluatePythonMatrix({ ...request, uncompilableTests: 'fail-test' }, uncached);
    expect(lenient.runs.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(lenient.matrix).toEqual([
      [true, false],
      [false, false],
    ]);
  });

  it('treats exit() and quit() as ordinary failing calls, like the reference harness', async () => {
    const result = await evaluatePythonMatrix(
      {
        prelude,
        candidates: ['    exit(0)'],
        tests: ['assert add(1, 2) is None', 'assert add is not None'],
        perTestTimeoutMs: 100,
      },
      uncached,
    );
    expect(result.runs[0]!.status).toBe('ok');
    expect(result.matrix[0]).toEqual([false, true]);
  });

  it('serves a re-run from the disk cache without executing anything', async () => {
    const dir = join(scratch, 'cache');
    const request = {
      prelude,
      candidates: ['    return a + b', '    return b + a + 0', '    return 3'],
      tests: ['assert add(1, 2) == 3', 'assert add(5, 5) == 10'],
      perTestTimeoutMs: 100,
    };
    const first = await evaluatePythonMatrix(request, { pool, cache: new ResultCache(dir) });
    expect(first.stats).toMatchObject({ executed: 3, cached: 0 });
    const freshCache = new ResultCache(dir);
    const executedBefore = pool.counters.executed;
    const again = await evaluatePythonMatrix(request, { pool, cache: freshCache });
    expect(pool.counters.executed).toBe(executedBefore);
    expect(again.stats).toMatchObject({ executed: 0, cached: 3 });
    expect(again.runs.every((r) => r.cached)).toBe(true);
    expect(again.matrix).toEqual(first.matrix);
    expect(freshCache.counters.hits).toBe(3);
    // A different time limit is a different key.
    const other = await evaluatePythonMatrix({ ...request, perTestTimeoutMs: 200 }, { pool, cache: freshCache });
    expect(other.stats.executed).toBe(3);
  });

  it('gives the same verdicts as a fresh python3 process per candidate', async () => {
    const candidates = [
      '    return a + b',
      '    return a * b',
      '    import math\n    return math.floor(a) + math.floor(b)',
      '    print("noise")\n    return int(str(a) + str(b)) if a < 0 else a + b',
      '    return sorted({a, b})[0] + sorted({a, b})[-1] if a != b else 2 * a',
      '    global calls\n    calls = globals().get("calls", 0) + 1\n    return a + b + (calls > 2)',
    ];
    const tests = [
      'assert add(1, 2) == 3',
      'assert add(2, 2) == 4',
      'assert add(1.5, 2.5) == 4',
      'assert add(-1, 3) == 2',
      'assert add("x", "y") == "xy"',
    ];
    const engine = await evaluatePythonMatrix({ prelude, candidates, tests, perTestTimeoutMs: 100 }, uncached);
    const { python } = await pool.describe();
    const naive = candidates.map((candidate) => naiveRow(python, `${prelude}${candidate}\n`, tests));
    expect(engine.matrix).toEqual(naive);
    // the per-candidate state (a global counter) must carry over between tests of one candidate only
    expect(engine.matrix[5]).toEqual([true, true, false, false, false]);
  });
});

/** An independent naive harness: a fresh interpreter runs the program, then each test under its own timer. */
const NAIVE = `
import json, signal, sys, io
class Timeout(Exception): pass
def handler(*_): raise Timeout()
job = json.loads(sys.stdin.read())
out = sys.stdout
sys.stdout = io.StringIO()
ns = {}
exec(job['program'], ns)
row = []
for test in job['tests']:
    try:
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        try:
            exec(test, ns)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        row.append(True)
    except Exception:
        row.append(False)
out.write(json.dumps(row))
`;

function naiveRow(python: string, program: string, tests: string[]): boolean[] {
  const stdout = execFileSync(python, ['-c', NAIVE], {
    input: JSON.stringify({ program, tests }),
    env: { ...process.env, PYTHONHASHSEED: '0' },
  });
  return JSON.parse(stdout.toString()) as boolean[];
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { createBatchMatrixEngine } from '../../../src/execution/matrix/batch-matrix-engine.ts';
import { MutapCalls } from '../../../src/execution/mutap/mutap-calls.ts';
import { mutantVerdict, type ScriptOutcome } from '../../../src/techniques/mutap/script-outcome.ts';

// MuTAP's verdicts come from `python3 file.py`: its exit status and whether stderr holds "AssertionError". The
// harness reproduces both inside the engine's worker; each case here is checked against a real python3 process.
const pool = new PythonWorkerPool({ size: 2 });
const calls = new MutapCalls(createBatchMatrixEngine({ pool, cache: false }), { cpuLimitSec: 2, wallLimitSec: 20 });
const scratch = mkdtempSync(join(tmpdir(), 'refinery-mutap-harness-'));
afterAll(async () => {
  await pool.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** What MuTAP's script sees of a real `python3 file.py` run. */
function realPython(
  python: string,
  source: string,
  name: string,
): { exit: number; assertion: boolean; stdout: string } {
  const file = join(scratch, `${name}.py`);
  writeFileSync(file, source);
  const run = spawnSync(python, [file], { cwd: scratch, encoding: 'utf8', input: '', timeout: 20_000 });
  const exit = run.status ?? -(constants.signals[run.signal as keyof typeof constants.signals] as number);
  return { exit, assertion: run.stderr.includes('AssertionError'), stdout: run.stdout };
}

const CASES: Record<string, string> = {
  'runs to its end': 'def f(x):\n    return x + 1\n\nassert f(1) == 2\n',
  'a failing assert': 'def f(x):\n    return x + 1\n\ndef test():\n    assert f(1) == 3\ntest()\n',
  'another exception': 'def test():\n    assert [][0] == 1\ntest()\n',
  'a syntax error': 'def test():\n    assert f(1) ==\ntest()\n',
  'exit() inside the test': 'def test():\n    exit()\n    assert False\ntest()\n',
  'sys.exit(0)': 'import sys\ndef test():\n    sys.exit(0)\ntest()\n',
  'sys.exit(3)': 'import sys\nsys.exit(3)\n',
  'sys.exit(-1)': 'import sys\nsys.exit(-1)\n',
  'sys.exit(True)': 'import sys\nsys.exit(True)\n',
  'sys.exit with a message naming AssertionError': 'import sys\nsys.exit("AssertionError: by hand")\n',
  'SystemExit(None)': 'raise SystemExit(None)\n',
  'os._exit(0) after a failure was printed': 'import os, sys\nprint("AssertionError", file=sys.stderr)\nos._exit(0)\n',
  'os._exit(5)': 'import os\nos._exit(5)\n',
  'AssertionError text on stderr, then another error':
    'import sys\nprint("AssertionError", file=sys.stderr)\nraise ValueError(1)\n',
  'an assert inside an except clause': 'try:\n    assert 1 == 2\nexcept AssertionError:\n    raise KeyError("k")\n',
  'an atexit handler that fails an assert': 'import atexit\ndef bye():\n    assert False\natexit.register(bye)\n',
  'an uncaught KeyboardInterrupt': 'raise KeyboardInterrupt\n',
  'input() at end of file': 'x = input()\n',
  '__name__ is __main__': 'assert __name__ == "__main__"\n',
  'recursion 990 deep': 'import sys\ndef d(n):\n    return 0 if n == 0 else 1 + d(n - 1)\nassert d(990) == 990\n',
  'recursion 1100 deep': 'def d(n):\n    return 0 if n == 0 else 1 + d(n - 1)\nd(1100)\n',
  'a SyntaxWarning at compile time': 'x = 5\nassert x is 5\n',
  'writing bytes to stdout': 'import sys\nsys.stdout.write(b"x")\n',
};

describe('the MuTAP harness reproduces python3 file.py', async () => {
  const python = (await pool.forCalls().describe()).python;
  const names = Object.keys(CASES);
  const outcomes = await calls.runScripts(names.map((name) => CASES[name]!));

  it.each(names.map((name, i) => [name, i] as const))('%s', (name, i) => {
    const real = realPython(python, CASES[name]!, `case${i}`);
    const outcome = outcomes[i]!;
    expect(outcome.status, name).toBe('exited');
    const exited = outcome as Extract<ScriptOutcome, { status: 'exited' }>;
    expect({ exit: exited.exit, assertion: exited.assertion }).toEqual({ exit: real.exit, assertion: real.assertion });
  });

  it('captures stdout when asked, and only then', async () => {
    const source = 'print("hello")\nprint(repr("a\\nb"))\n';
    const [kept] = await calls.runScripts([source], { stdout: true });
    const [dropped] = await calls.runScripts([source]);
    expect(kept).toMatchObject({ status: 'exited', exit: 0, stdout: realPython(python, source, 'stdout').stdout });
    expect(dropped).toMatchObject({ status: 'exited', exit: 0, stdout: null });
  });

  it('reports a program that never ends as a timeout at the CPU limit', async () => {
    const limited = new MutapCalls(createBatchMatrixEngine({ pool, cache: false }), {
      cpuLimitSec: 1,
      wallLimitSec: 2,
    });
    const [spin, sleeper] = await limited.runScripts(['while True:\n    pass\n', 'import time\ntime.sleep(30)\n']);
    expect(spin).toEqual({ status: 'timeout' });
    expect(sleeper).toEqual({ status: 'timeout' });
    // the bench's limit seconds are CPU: at most the spinner's 1 s limit and the sleeper's own CPU (almost none);
    // the sleeper alone spent its 2 s wall ceiling
    expect(limited.stats.timeouts).toBe(2);
    expect(limited.stats.limitSeconds).toBeLessThan(1.5);
    expect(limited.stats.limitWallSeconds).toBeGreaterThanOrEqual(2);
  });

  it('tells a program that grew into the memory cap (MuTAP: it grows on until its timeout) from one python3 refuses at once', async () => {
    const capped = new MutapCalls(createBatchMatrixEngine({ pool, cache: false }), {
      cpuLimitSec: 5,
      wallLimitSec: 30,
      memoryMb: 300,
    });
    const [grows, refused] = await capped.runScripts([
      'xs = []\nwhile True:\n    xs.append(" " * 1000)\n',
      'x = [0] * 10**12\n',
    ]);
    expect(grows).toMatchObject({ status: 'exited', exit: 1, error: 'MemoryError', memoryCap: true });
    expect(mutantVerdict(grows!)).toBe('timeout');
    expect(refused).toMatchObject({ status: 'exited', exit: 1, error: 'MemoryError' });
    expect(mutantVerdict(refused!)).toBe('problematic');
    // the bench's breakdown counts the run that grew into the cap, and its CPU among the other runs'
    expect(capped.stats.memoryCapRuns).toBe(1);
    expect(capped.stats.memoryCapCpuSeconds).toBeGreaterThan(0);
    expect(capped.stats.otherCpuSeconds).toBeGreaterThanOrEqual(capped.stats.memoryCapCpuSeconds);
    expect(capped.stats.timeouts).toBe(0);
  });

  it("parses as MuTAP's ast.parse check does: the SyntaxError's line, or ok", async () => {
    const sources = ['x = 1\n', 'def test():\n    assert f(1) ==\n', 'def f(:\n    pass\n', 'x = (1,\n', 'return 1\n'];
    const verdicts = await calls.parse(sources);
    const real = sources.map((source, i) => {
      const file = join(scratch, `parse${i}.py`);
      writeFileSync(file, source);
      const out = spawnSync(
        python,
        [
          '-c',
          'import ast,sys\ntry:\n ast.parse(open(sys.argv[1]).read()); print("ok")\nexcept SyntaxError as e: print(e.lineno)',
          file,
        ],
        { encoding: 'utf8' },
      ).stdout.trim();
      return out === 'ok' ? { ok: true } : { ok: false, line: Number(out) };
    });
    expect(verdicts).toEqual(real);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { closeSharedPythonWorkerPool, sharedPythonWorkerPool } from '../../../src/execution/batch/index.ts';
import { createBatchMatrixEngine } from '../../../src/execution/matrix/batch-matrix-engine.ts';
import {
  probeSubjects,
  runDetCalls,
  runExample,
  runSeparateDetCalls,
  runSubjectCalls,
  type Subject,
} from '../../../src/execution/mokav/det-calls.ts';
import { callArguments } from '../../../src/techniques/mokav/calling-convention.ts';
import type { PyValue } from '../../../src/techniques/mokav/python-value.ts';

// Each pitfall of techniques §2.8 with a hand-written pair, run through the shared engine's runCalls.
const engine = createBatchMatrixEngine({ pool: sharedPythonWorkerPool(), cache: false });
afterAll(() => closeSharedPythonWorkerPool());

const q = (body: string): Subject => ({
  source: `def patched_func(*args):\n\tglobal_list = []\n${indent(body)}\treturn global_list\n`,
  function: 'patched_func',
  filename: '<patched>',
});
const p = (body: string): Subject => ({
  source: `def original_func(*args):\n\tglobal_list = []\n${indent(body)}\treturn global_list\n`,
  function: 'original_func',
  filename: '<original>',
});
function indent(body: string): string {
  return body
    .trim()
    .split('\n')
    .map((line) => `\t${line}\n`)
    .join('');
}
const limits = { cpuLimitSec: 2, wallLimitSec: 20 };
const verdicts = async (pairs: [Subject, Subject, PyValue][]) =>
  (
    await runDetCalls(
      engine,
      pairs.map(([patched, original, input]) => ({ q: patched, p: original, args: callArguments(input)! })),
      limits,
    )
  ).outcomes.map((o) => o.verdict);

const READ_N = 'n = int(args[0])';

describe('the DET harness (techniques §2.4, §2.8)', () => {
  it('DET needs both to return different values; equal values are SAME (the §2.2 example pair)', async () => {
    const patched = q(`${READ_N}\nglobal_list.append((2 * n + 1) // 3)`);
    const original = p(`${READ_N}\nglobal_list.append((2 * n + 2) // 3)`);
    expect(
      await verdicts([
        [patched, original, '1'],
        [patched, original, '2'],
      ]),
    ).toEqual(['SAME', 'DET']);
  });

  it('returned objects are compared, not printed text: 1 against "1" is a DET', async () => {
    expect(await verdicts([[q('global_list.append(int(args[0]))'), p('global_list.append(args[0])'), '1']])).toEqual([
      'DET',
    ]);
  });

  it('exit() and sys.exit() are crashes (SystemExit), never a return and never a DET', async () => {
    const patched = q('global_list.append(1)\nexit()');
    const original = p('import sys\nglobal_list.append(2)\nsys.exit(0)');
    const fine = q('global_list.append(1)');
    expect(
      await verdicts([
        [patched, original, 'x'],
        [fine, original, 'x'],
      ]),
    ).toEqual(['ERROR_IN_Q', 'ERROR_IN_P']);
  });

  it('program output is discarded (a program writing to sys.stdout directly) and input() meets a closed stdin', async () => {
    const noisy = q('import sys\nsys.stdout.write("noise\\n")\nprint("more")\nglobal_list.append(1)');
    const quiet = p('global_list.append(2)');
    const reads = p('global_list.append(input())');
    const batch = await runDetCalls(
      engine,
      [
        { q: noisy, p: quiet, args: ['x'] },
        { q: noisy, p: reads, args: ['x'] },
      ],
      limits,
    );
    expect(batch.outcomes.map((o) => [o.verdict, o.error ?? ''])).toEqual([
      ['DET', ''],
      ['ERROR_IN_P', 'EOFError'],
    ]);
    expect(batch.outcomes[0]!.q).toEqual({ str: '[1]', repr: '[1]' });
  });

  it('P and Q get separate deep copies of the arguments (a version that mutates them cannot hide a difference)', async () => {
    const mutates: Subject = {
      source: 'def patched_func(xs):\n    xs.append(1)\n    return len(xs)\n',
      function: 'patched_func',
      filename: '<patched>',
    };
    const counts: Subject = {
      source: 'def original_func(xs):\n    return len(xs)\n',
      function: 'original_func',
      filename: '<original>',
    };
    // On shared objects P would see Q's append and return 1 too (SAME); on copies it returns 0.
    expect(await verdicts([[mutates, counts, [[]]]])).toEqual(['DET']);
  });

  it('a version that does not compile is ERROR_IN_Q / ERROR_IN_P for every input; a broken print conversion raises', async () => {
    const starImport = q('from math import *\nglobal_list.append(1)');
    const broken = p('global_list.append(1, 2)');
    const fine = q('global_list.append(1)');
    expect(
      await verdicts([
        [starImport, p('global_list.append(1)'), 'x'],
        [fine, { ...p(''), source: 'def original_func(*args):\n\treturn (\n' }, 'x'],
        [fine, broken, 'x'],
      ]),
    ).toEqual(['ERROR_IN_Q', 'ERROR_IN_P', 'ERROR_IN_P']);
  });

  it('a call that fails outside both versions (a wrong number of arguments) is ERROR', async () => {
    const one: Subject = {
      source: 'def patched_func(xs):\n    return xs\n',
      function: 'patched_func',
      filename: '<patched>',
    };
    const also: Subject = {
      source: 'def original_func(xs):\n    return xs\n',
      function: 'original_func',
      filename: '<original>',
    };
    expect(await verdicts([[one, also, [1, 2, 3]]])).toEqual(['ERROR']);
  });

  it('one CPU limit for Q then P: a version that loops forever is TIMEOUT, with the seconds it took', async () => {
    const batch = await runDetCalls(
      engine,
      [{ q: q('global_list.append(1)'), p: p('while True:\n\tpass'), args: ['x'] }],
      { cpuLimitSec: 1, wallLimitSec: 20 },
    );
    expect(batch.outcomes[0]!.verdict).toBe('TIMEOUT');
    expect(batch.stats.timeouts).toBe(1);
    expect(batch.stats.timeoutSeconds).toBeGreaterThan(0);
  });

  it('prepare: an example input that crashes Q gives an empty output and still runs (Mokav never checks it)', async () => {
    const patched = q(`${READ_N}\nglobal_list.append(n)\nk = n + 1\nglobal_list.append(k)`);
    const original = p(`${READ_N}\nglobal_list.append(n)\nk = n + 2\nglobal_list.append(k)`);
    const run = await runExample(engine, patched, original, ['3'], true, limits);
    expect(run.patchedOutput).toBe('[3, 4]');
    expect(run.difference).toEqual({ patched: { variable: 'k', value: '4' }, original: { variable: 'k', value: '5' } });
    expect((await runExample(engine, patched, original, ['x'], false, limits)).patchedOutput).toBe('');
  });

  it("difftest: one version per call, imported from a revision's files; probe names a missing entry; a difference that does not reproduce is flaky", async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/m.py': 'import os\n\ndef f(x):\n    return [x, x]\n\ndef noise():\n    return os.urandom(8).hex()\n',
    };
    const f: Subject = { files, module: 'pkg.m', function: 'f' };
    const [ok, bad] = await runSubjectCalls(
      engine,
      [
        { subject: f, args: ['a'] },
        { subject: f, args: [] },
      ],
      limits,
    );
    expect(ok).toEqual({ status: 'ok', literal: true, str: "['a', 'a']", repr: "['a', 'a']" });
    expect(bad).toEqual({ status: 'error', error: 'TypeError' });
    const [found, missing] = await probeSubjects(engine, [f, { files, module: 'pkg.m', function: 'g' }], limits);
    expect(found).toEqual({ ok: true, source: expect.stringContaining('def f(x)') });
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('AttributeError') });
    const noise: Subject = { files, module: 'pkg.m', function: 'noise' };
    const batch = await runSeparateDetCalls(engine, [{ q: noise, p: noise, args: [] }], limits);
    expect(batch.outcomes[0]).toMatchObject({ verdict: 'ERROR', error: 'flaky' });
  });
});

import { describe, expect, it } from 'vitest';
import { sharedCompileChecker } from '../../../src/execution/compile/python-compile-checker.ts';
import {
  extractTests,
  keepCompilable,
  limitTests,
  testInTryBlock,
} from '../../../src/techniques/codet/extract-tests.ts';
import { prepareTests } from '../../../src/techniques/codet/prepare-tests.ts';
import { pythonStrip } from '../../../src/techniques/codet/stop-markers.ts';
import {
  EMPTY_SOLUTION_PLACEHOLDER,
  truncateSolution,
  truncateSolutions,
} from '../../../src/techniques/codet/truncate-solution.ts';

describe('truncateSolution', () => {
  it('cuts at the earliest column-0 stop marker, whatever the marker order', () => {
    const body = '    return a + b\n';
    expect(truncateSolution(`${body}\nprint(add(1, 2))\ndef other():\n    pass`)).toBe(`${body}`);
    expect(truncateSolution(`${body}\n# test\nclass X: pass`)).toBe(`${body}`);
    expect(truncateSolution(`${body}\nif __name__ == "__main__":\n    pass`)).toBe(`${body}`);
  });

  it('keeps indented defs, ifs and comments inside the body', () => {
    const text = '    def helper(x):\n        # note\n        if x:\n            return 1\n    return helper(a)\n';
    expect(truncateSolution(text)).toBe(text);
  });

  it('does not strip, and an empty sample list gets the failing placeholder', () => {
    expect(truncateSolution('  x  \n\n')).toBe('  x  \n\n');
    expect(truncateSolutions([])).toEqual([EMPTY_SOLUTION_PLACEHOLDER]);
    expect(truncateSolutions(['a\ndef b', 'c'])).toEqual(['a', 'c']);
  });
});

describe('extractTests', () => {
  it("gives the README's four asserts for `add`, the third cut at \\ndef, the fourth from the nested function", () => {
    const sample =
      'add(1, 2) == 3\nassert add(0, 0) == 0\nassert add(-1, 1) == 0\n\ndef test():\n    assert add(2, 2) == 4';
    expect(extractTests(sample, 'add')).toEqual([
      'assert add(1, 2) == 3',
      'assert add(0, 0) == 0',
      'assert add(-1, 1) == 0',
      'assert add(2, 2) == 4',
    ]);
  });

  it('never splits out assert(x): it stays inside the preceding piece', () => {
    const sample = 'add(1, 2) == 3\nassert(add(0, 0) == 0)\nassert add(5, 5) == 10';
    expect(extractTests(sample, 'add')).toEqual([
      'assert add(1, 2) == 3\nassert(add(0, 0) == 0)',
      'assert add(5, 5) == 10',
    ]);
  });

  it('drops pieces that are blank or do not mention the entry point', () => {
    expect(extractTests('x == 1\nassert add(1, 1) == 2\nassert y == 3\nassert    \n', 'add')).toEqual([
      'assert add(1, 1) == 2',
    ]);
    expect(extractTests('', 'add')).toEqual([]);
    expect(extractTests('\n', 'add')).toEqual([]);
  });

  it('uses Python strip semantics (\\x1c is whitespace, \\ufeff is not)', () => {
    expect(pythonStrip('\x1c a \x85')).toBe('a');
    expect(pythonStrip('\ufeffa')).toBe('\ufeffa');
    expect(extractTests('add(1) == 1\x1c', 'add')).toEqual(['assert add(1) == 1']);
  });

  it('indents multi-line asserts inside the try block', () => {
    expect(testInTryBlock('assert f(1) == \\\n  1')).toBe('try:\n    assert f(1) == \\\n      1\nexcept:\n    pass\n');
  });
});

describe('limitTests', () => {
  it('takes the first n of each sample before flattening, counting duplicates across samples', () => {
    const sampleA = ['a1', 'a2', 'x', 'a4', 'a5', 'a6'];
    const sampleB = ['x', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
    const multiset = limitTests([sampleA, sampleB], 5);
    expect(multiset.get('x')).toBe(2);
    expect(multiset.has('a6')).toBe(false);
    expect(multiset.has('b6')).toBe(false);
    expect([...multiset.values()].reduce((a, b) => a + b, 0)).toBe(10);
    expect([...multiset.keys()]).toEqual(['a1', 'a2', 'x', 'a4', 'a5', 'b2', 'b3', 'b4', 'b5']);
  });

  it('filters before limiting when composed by hand', () => {
    const perSample = keepCompilable([['ok1', 'bad', 'ok2']], (t) => t !== 'bad');
    expect([...limitTests(perSample, 2).keys()]).toEqual(['ok1', 'ok2']);
  });
});

describe('compile check (python3)', () => {
  it('keeps asserts that compile inside try/except and drops the rest', async () => {
    const ok = ['assert add(1, 2) == 3', 'assert add(1,\n 2) == 3', 'assert add(1, 2) == 3, "msg"'];
    const bad = ['assert add(1, 2) ==', 'assert add(1, 2) == 3)', 'assert add(\x00)', 'assert add(1)\n  == 1'];
    const compiled = await sharedCompileChecker().compilable([...ok, ...bad, ok[0]!]);
    expect([...compiled].sort()).toEqual([...ok].sort());
  });

  it('limits to the first 5 valid asserts of each sample (invalid ones do not use up the budget)', async () => {
    const sample = [
      'add(0, 0) == 0',
      'assert add(1, 1) ==',
      'assert add(2, 2) == 4',
      'assert add(3, 3) == 6',
      'assert add(4, 4) == 8',
      'assert add(5, 5) == 10',
      'assert add(6, 6) == 12',
    ].join('\n');
    const prepared = await prepareTests(
      [{ taskId: 't', entryPoint: 'add', samples: [sample, sample, 'nothing here'] }],
      5,
      sharedCompileChecker(),
    );
    const task = prepared.get('t')!;
    expect(task.perSample.map((tests) => tests.length)).toEqual([6, 6, 0]);
    expect([...task.limited.keys()]).toEqual([
      'assert add(0, 0) == 0',
      'assert add(2, 2) == 4',
      'assert add(3, 3) == 6',
      'assert add(4, 4) == 8',
      'assert add(5, 5) == 10',
    ]);
    expect([...task.limited.values()]).toEqual([2, 2, 2, 2, 2]);
  });
});

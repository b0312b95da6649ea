import { afterAll, describe, expect, it } from 'vitest';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { createBatchMatrixEngine } from '../../../src/execution/matrix/batch-matrix-engine.ts';
import { MutapCalls } from '../../../src/execution/mutap/mutap-calls.ts';
import { assertLeftSide, fixOracles } from '../../../src/techniques/mutap/oracle-fix.ts';
import { scoreSuite } from '../../../src/techniques/mutap/score-suite.ts';

const pool = new PythonWorkerPool({ size: 2 });
const calls = new MutapCalls(createBatchMatrixEngine({ pool, cache: false }), { cpuLimitSec: 2, wallLimitSec: 20 });
afterAll(() => pool.close());

const PUT = [
  'class Box:',
  '    pass',
  '',
  'def is_even(n):',
  '    print("checking", n)',
  '    return n % 2 == 0',
  '',
  'def name(n):',
  '    return "even" if is_even(n) else "odd"',
  '',
  'def box(n):',
  '    return Box()',
  '',
].join('\n');

describe('the oracle fix on the engine', () => {
  it('keeps passing asserts, repairs wrong oracles with repr, drops what cannot be repaired', async () => {
    const file = [
      `${PUT}`,
      'def test():',
      '    assert is_even(2) == True',
      '    # a comment between asserts misaligns nothing',
      "    assert name(3) == 'even'",
      '    assert is_even(3) is True',
      '    assert name(None) == 1',
      '    assert box(1) == 2',
      '    assert [name(n) for n in (1,',
      '                              2)] == []',
      '',
    ].join('\n');
    const fixed = await fixOracles(file, calls.runScripts);
    expect(fixed.asserts.map((a) => [a.source, a.verdict])).toEqual([
      ['assert is_even(2) == True', 'pass'],
      ["assert name(3) == 'odd'", 'assertion'],
      ["assert [name(n) for n in (1,\n                              2)] == ['odd', 'even']", 'assertion'],
    ]);
    // `is True` has no `==`: the cut falls at the first "is", inside is_even, leaving no left-hand side (as released);
    // name(None) raises on the PUT; box(1)'s repr is not Python: all three are dropped and counted.
    expect(fixed).toMatchObject({ passed: 1, repaired: 2, dropped: 3 });
    expect(assertLeftSide('assert is_even(3) is True')).toBeNull();
    // the fixed suite holds on its PUT
    const score = await scoreSuite(calls.runScripts, {
      put: PUT,
      mutants: [PUT.replace('n % 2 == 0', 'n % 2 != 0')],
      body: fixed.content!.split('def test():')[1]!,
    });
    expect(score.suiteOnPut).toBe('pass');
    expect(score.verdicts).toEqual(['killed']);
  });

  it('with print(), writes the value as print shows it (the committed code), which leaves strings unquoted', async () => {
    const fixed = await fixOracles(`${PUT}def test():\n    assert name(3) == 'even'\n`, calls.runScripts, {
      printing: 'print',
    });
    // `assert name(3) == odd` names an undefined variable: the check on the PUT drops it
    expect(fixed).toMatchObject({ passed: 0, repaired: 0, dropped: 1 });
  });
});

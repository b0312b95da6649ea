import { describe, expect, it } from 'vitest';
import { measureMutantMatch } from '../../../src/execution/mutation/measure-mutant-match.ts';
import { PutParseError } from '../../../src/execution/mutation/put-parse-error.ts';
import { createPythonNormaliser } from '../../../src/execution/mutation/python-normaliser.ts';

// Released mutants the way MuTAP rebuilt them: one line replaced by MutPy's printed line.
const PUT = 'def gcd(a, b):\n    while b:\n        a, b = b, a % b\n    return a\n';
const RELEASED = [
  { operator: 'AOR', name: 'mutant_13_0.py', source: PUT.replace('a, b = b, a % b', '(a, b) = (b, a * b)') },
  { operator: 'COI', name: 'mutant_13_1.py', source: PUT.replace('while b:', 'while not (b):') },
  { operator: 'ROR', name: 'mutant_13_2.py', source: PUT.replace('return a', 'return a > 0') },
];

describe('measureMutantMatch', () => {
  it('regenerates MutPy-printed mutants modulo ast.unparse(ast.parse()), lists what is missing, goes past a bad PUT', async () => {
    const { report, generated } = await measureMutantMatch([
      { task: '13', put: PUT, released: RELEASED },
      { task: 'bad', put: 'def (:\n', released: [{ operator: 'AOR', source: 'x' }] },
    ]);
    expect(report.total.byOperator.AOR).toEqual({ released: 2, matched: 1, missing: 1, extra: 0 });
    expect(report.total.byOperator.COI).toEqual({ released: 1, matched: 1, missing: 0, extra: 0 });
    expect(report.total.byOperator.ROR).toEqual({ released: 1, matched: 0, missing: 1, extra: 0 });
    expect(report.missing).toEqual([
      { task: '13', operator: 'ROR', name: 'mutant_13_2.py', line: 4, text: 'return a > 0' },
      { task: 'bad', operator: 'AOR', line: 1, text: 'x' },
    ]);
    expect(report.tasks[1]?.error).toMatch(/does not parse/);
    expect(generated.get('bad')).toBeInstanceOf(PutParseError);
    expect((generated.get('13') as { operator: string }[]).map((m) => m.operator)).toEqual(['AOR', 'COI']);
  });

  it('the Python normaliser equates layouts Python parses alike and marks what does not parse', async () => {
    const normalise = await createPythonNormaliser(['(a, b) = (b, a)\n', 'a,b=b,a', 'if (:\n  x']);
    expect(normalise('(a, b) = (b, a)\n')).toBe(normalise('a,b=b,a'));
    expect(normalise('if (:\n  x')).toBe('# does not parse\nif (:\n  x');
  });
});

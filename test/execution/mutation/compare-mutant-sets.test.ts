import { describe, expect, it } from 'vitest';
import {
  compareMutantSets,
  normaliseLayout,
  sumComparisons,
  UNLABELLED,
} from '../../../src/execution/mutation/compare-mutant-sets.ts';
import { formatMutantMatchTable } from '../../../src/execution/mutation/format-mutant-match-table.ts';
import type { MutantMatchReport } from '../../../src/execution/mutation/measure-mutant-match.ts';

const generated = (operator: string, source: string) => ({ operator, line: 1, source });

describe('compareMutantSets', () => {
  it('matches by normalised code, one generated mutant per released one, and counts per operator', () => {
    const released = [
      { operator: 'AOR', source: 'x = a - b\n' },
      { operator: 'AOR', source: 'x = a - b  \n\n' }, // the same code twice: needs two generated copies
      { operator: 'ROR', source: 'y = a > b\n' },
      { operator: null, source: 'z = 1\n' },
    ];
    const result = compareMutantSets(released, [
      generated('AOR', 'x = a - b\n'),
      generated('ROR', 'y = a >= b\n'),
      generated('COI', 'if not c:\n    pass\n'),
      generated('CRP', 'z = 1\n'),
    ]);
    expect(result.byOperator).toEqual({
      AOR: { released: 2, matched: 1, missing: 1, extra: 0 },
      ROR: { released: 1, matched: 0, missing: 1, extra: 1 },
      [UNLABELLED]: { released: 1, matched: 1, missing: 0, extra: 0 },
      COI: { released: 0, matched: 0, missing: 0, extra: 1 },
    });
    expect(result.matched).toBe(2);
    expect(result.matchRate).toBe(0.5);
    expect(result.missing.map((m) => m.source)).toEqual(['x = a - b  \n\n', 'y = a > b\n']);
    expect(result.extra.map((m) => m.operator)).toEqual(['ROR', 'COI']);
    expect(result.relabelled).toEqual([]);
  });

  it('uses the normaliser it is given on both sides, and reports a match under another operator', () => {
    const stripParens = (source: string) => source.replace(/[()]/g, '');
    const result = compareMutantSets(
      [{ operator: 'AOR', source: '(a, b) = (b, a * b)' }],
      [generated('ASR', 'a, b = b, a * b')],
      { normalise: stripParens },
    );
    expect(result.matched).toBe(1);
    expect(result.relabelled).toEqual([{ released: 'AOR', generated: 'ASR', source: '(a, b) = (b, a * b)' }]);
    expect(compareMutantSets([{ operator: 'AOR', source: '(a)' }], [generated('AOR', 'a')]).matched).toBe(0);
  });

  it('normaliseLayout drops trailing blanks and blank lines only', () => {
    expect(normaliseLayout('a = 1  \r\n\n  b = 2\n')).toBe('a = 1\n  b = 2');
  });

  it('sumComparisons adds the operators and totals of several PUTs', () => {
    const one = compareMutantSets([{ operator: 'AOR', source: 'a' }], [generated('AOR', 'a')]);
    const two = compareMutantSets([{ operator: 'AOR', source: 'b' }], [generated('ROR', 'c')]);
    const sum = sumComparisons([one, two]);
    expect(sum.byOperator).toEqual({
      AOR: { released: 2, matched: 1, missing: 1, extra: 0 },
      ROR: { released: 0, matched: 0, missing: 0, extra: 1 },
    });
    expect([sum.released, sum.generated, sum.matched, sum.matchRate]).toEqual([2, 2, 1, 0.5]);
  });
});

describe('formatMutantMatchTable', () => {
  it('prints per-operator rows, the totals with both rates, and each missing and extra mutant', () => {
    const comparison = compareMutantSets(
      [
        { operator: 'AOR', source: 'a - b', name: 'mutant_1_0.py' },
        { operator: 'AOR', source: 'a * b', name: 'mutant_1_1.py' },
        { operator: null, source: 'weird', name: 'mutant_1_2.py' },
      ],
      [generated('AOR', 'a - b'), generated('COI', 'not a')],
    );
    const report: MutantMatchReport = {
      operators: ['AOR', 'COI'],
      normalisation: 'test',
      tasks: [{ task: '1', comparison }],
      total: comparison,
      missing: [
        { task: '1', operator: 'AOR', name: 'mutant_1_1.py', line: 2, text: 'a * b' },
        { task: '1', operator: UNLABELLED, name: 'mutant_1_2.py', line: 2, text: 'weird' },
      ],
      extra: [{ task: '1', operator: 'COI', line: 1, text: 'not a' }],
    };
    const table = formatMutantMatchTable(report);
    expect(table).toMatch(/^AOR +2 +1 +1 +0 +50\.0%$/m);
    expect(table).toMatch(/^COI +0 +0 +0 +1 +-$/m);
    expect(table).toMatch(/^unlabelled +1 +0 +1 +0 +0\.0%$/m);
    expect(table).toMatch(/^total +3 +1 +2 +1 +33\.3%$/m);
    expect(table).toContain(
      'match rate: 1/3 = 33.3% of the released mutants; 1/2 = 50.0% of those with an operator label',
    );
    expect(table).toContain('task 1  AOR         line 2 (mutant_1_1.py): a * b');
    expect(table).toContain('extra: generated, not released (1):');
    // unlabelled comes last, after the operators sorted by released count
    expect(table.indexOf('unlabelled ')).toBeGreaterThan(table.indexOf('COI '));
  });
});

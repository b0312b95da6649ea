import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidExecutionRequestError } from '../../../src/execution/invalid-execution-request-error.ts';
import {
  type GeneratedMutant,
  generateMutants,
  generateMutantsForMany,
} from '../../../src/execution/mutation/generate-mutants.ts';
import { MUTAP_OPERATORS, MUTATION_OPERATOR_CODES } from '../../../src/execution/mutation/mutation-operators.ts';
import { PutParseError } from '../../../src/execution/mutation/put-parse-error.ts';

/** `put` with 1-based line `line` replaced by `text` (several lines when `text` has newlines; '' deletes it). */
function edit(put: string, line: number, text: string | null): string {
  const lines = put.split('\n');
  if (text === null) lines.splice(line - 1, 1);
  else lines.splice(line - 1, 1, ...text.split('\n'));
  return lines.join('\n');
}

const ARITH = `def f(a, b):
    c = a + b * 2
    c -= -a
    return c % b
`;

const COND = `def g(xs, y):
    if y in xs and not y:
        return [x for x in xs if x < y]
    while y not in xs:
        y = y >= 1 or y != 2
    return xs[1:y:2]
`;

const FLOW = `def h(xs):
    for x in xs:
        try:
            if x:
                break
            continue
        except ValueError:
            return 0
        except KeyError:
            pass
`;

const BITS = `def k(a, b):
    return ~a & b << 1
`;

const CONSTANTS = `def m(s):
    """Docstring: 1 + 1 - 'a'."""
    return s + 'a' + '' + str(2.5)
`;

const CLASSES = `class Base:
    size = 1

    def area(self, k):
        return k

    def grow(self, n):
        return n


class Square(Base):
    size = 2

    @staticmethod
    def helper():
        return 1

    def area(self, k):
        super().area(k)
        return k * k

    def grow(self, n, scale=2):
        return n * scale
`;

const DOCSTRINGS = `"""Module docstring: a + b, x < y, not z, s[1:2]."""


def documented(a, b):
    """Returns a - b if a < b and not a, else -a; see s[::-1]."""
    # a comment: a + b
    if a < b and not a:
        return a - b
    return -a
`;

const BROKEN = 'def f(:\n    return 1\n';

const FIXTURES = { ARITH, COND, FLOW, BITS, CONSTANTS, CLASSES, DOCSTRINGS, BROKEN };
type Fixture = keyof typeof FIXTURES;

let all: Record<Fixture, GeneratedMutant[] | PutParseError>;

beforeAll(async () => {
  const names = Object.keys(FIXTURES) as Fixture[];
  const results = await generateMutantsForMany(
    names.map((name) => FIXTURES[name]),
    { operators: MUTATION_OPERATOR_CODES },
  );
  all = Object.fromEntries(names.map((name, i) => [name, results[i]])) as typeof all;
});

function mutants(fixture: Fixture, operator: string): GeneratedMutant[] {
  const result = all[fixture];
  if (result instanceof PutParseError) throw result;
  return result.filter((m) => m.operator === operator);
}

const sources = (fixture: Fixture, operator: string) => mutants(fixture, operator).map((m) => m.source);
const lines = (fixture: Fixture, operator: string) => mutants(fixture, operator).map((m) => m.line);

describe('generateMutants: each MutPy operator on a hand-written function (mutant text exact)', () => {
  it('AOR: + and -, * to / // **, % to *, unary - to +; not the augmented assignment', () => {
    expect(sources('ARITH', 'AOR')).toEqual([
      edit(ARITH, 2, '    c = a - b * 2'),
      edit(ARITH, 2, '    c = a + b / 2'),
      edit(ARITH, 2, '    c = a + b // 2'),
      edit(ARITH, 2, '    c = a + b ** 2'),
      edit(ARITH, 3, '    c -= +a'),
      edit(ARITH, 4, '    return c * b'),
    ]);
    expect(lines('ARITH', 'AOR')).toEqual([2, 2, 2, 2, 3, 4]);
  });

  it('ASR: the AOR table on augmented assignments only', () => {
    expect(sources('ARITH', 'ASR')).toEqual([edit(ARITH, 3, '    c += -a')]);
  });

  it('AOD: drops a unary minus', () => {
    expect(sources('ARITH', 'AOD')).toEqual([edit(ARITH, 3, '    c -= a')]);
  });

  it('ROR: < to > <=, >= to <= >, != to ==, everywhere (comprehensions too)', () => {
    expect(sources('COND', 'ROR')).toEqual([
      edit(COND, 3, '        return [x for x in xs if x > y]'),
      edit(COND, 3, '        return [x for x in xs if x <= y]'),
      edit(COND, 5, '        y = y <= 1 or y != 2'),
      edit(COND, 5, '        y = y > 1 or y != 2'),
      edit(COND, 5, '        y = y >= 1 or y == 2'),
    ]);
  });

  it('COI: negates if and while tests (parenthesised where needed); in to not in', () => {
    expect(sources('COND', 'COI')).toEqual([
      edit(COND, 2, '    if not (y in xs and not y):'),
      edit(COND, 2, '    if y not in xs and not y:'),
      edit(COND, 4, '    while not y not in xs:'),
    ]);
  });

  it('COD: drops not; not in to in', () => {
    expect(sources('COND', 'COD')).toEqual([
      edit(COND, 2, '    if y in xs and y:'),
      edit(COND, 4, '    while y in xs:'),
    ]);
  });

  it('LCR: and and or swapped', () => {
    expect(sources('COND', 'LCR')).toEqual([
      edit(COND, 2, '    if y in xs or not y:'),
      edit(COND, 5, '        y = y >= 1 and y != 2'),
    ]);
  });

  it('SIR: removes the lower bound, the step, the upper bound (MutPy order)', () => {
    expect(sources('COND', 'SIR')).toEqual([
      edit(COND, 6, '    return xs[:y:2]'),
      edit(COND, 6, '    return xs[1:y]'),
      edit(COND, 6, '    return xs[1::2]'),
    ]);
  });

  it('BCR: break and continue swapped', () => {
    expect(sources('FLOW', 'BCR')).toEqual([
      edit(FLOW, 5, '                continue'),
      edit(FLOW, 6, '            break'),
    ]);
  });

  it('EHD: a handler body becomes raise (not one that already raises)', () => {
    expect(sources('FLOW', 'EHD')).toEqual([edit(FLOW, 8, '            raise'), edit(FLOW, 10, '            raise')]);
  });

  it('EXS: a handler body becomes pass (not one that is only pass)', () => {
    expect(sources('FLOW', 'EXS')).toEqual([edit(FLOW, 8, '            pass')]);
  });

  it('LOR and LOD: & to |, << to >>; ~ dropped', () => {
    expect(sources('BITS', 'LOR')).toEqual([
      edit(BITS, 2, '    return ~a | b << 1'),
      edit(BITS, 2, '    return ~a & b >> 1'),
    ]);
    expect(sources('BITS', 'LOD')).toEqual([edit(BITS, 2, '    return a & b << 1')]);
  });

  it("CRP: n to n + 1, a string to 'mutpy', a non-empty string to ''; the docstring untouched", () => {
    expect(sources('CONSTANTS', 'CRP')).toEqual([
      edit(CONSTANTS, 3, "    return s + 'mutpy' + '' + str(2.5)"),
      edit(CONSTANTS, 3, "    return s + '' + '' + str(2.5)"),
      edit(CONSTANTS, 3, "    return s + 'a' + 'mutpy' + str(2.5)"),
      edit(CONSTANTS, 3, "    return s + 'a' + '' + str(3.5)"),
    ]);
  });

  it('DDL: the decorators of a function deleted', () => {
    expect(sources('CLASSES', 'DDL')).toEqual([edit(CLASSES, 14, null)]);
  });

  it('IHD: a class attribute hiding a base class one becomes pass', () => {
    expect(sources('CLASSES', 'IHD')).toEqual([edit(CLASSES, 12, '    pass')]);
  });

  it('IOD: methods overriding a base class method become pass (the class without bases is left alone)', () => {
    const areaRemoved = CLASSES.replace(
      '    def area(self, k):\n        super().area(k)\n        return k * k\n',
      '    pass\n',
    );
    const growRemoved = CLASSES.replace('    def grow(self, n, scale=2):\n        return n * scale\n', '    pass\n');
    expect(sources('CLASSES', 'IOD')).toEqual([areaRemoved, growRemoved]);
  });

  it('IOP: the super() call moves to the other end of the body', () => {
    expect(sources('CLASSES', 'IOP')).toEqual([
      CLASSES.replace(
        '        super().area(k)\n        return k * k\n',
        '        return k * k\n        super().area(k)\n',
      ),
    ]);
  });

  it('SCD: the super() call becomes pass', () => {
    expect(sources('CLASSES', 'SCD')).toEqual([edit(CLASSES, 19, '        pass')]);
  });

  it("SCI: an overriding method without one gets super().name(...) first (MutPy passes a default's value)", () => {
    expect(sources('CLASSES', 'SCI')).toEqual([
      edit(CLASSES, 23, '        super().grow(n, scale=2)\n        return n * scale'),
    ]);
  });
});

describe('generateMutants: the rules', () => {
  it('leaves docstrings and comments as written in every mutant, and makes no mutant inside a docstring', () => {
    const result = all.DOCSTRINGS as GeneratedMutant[];
    expect(result.length).toBeGreaterThan(5);
    for (const mutant of result) {
      expect(mutant.source).toContain('"""Module docstring: a + b, x < y, not z, s[1:2]."""');
      expect(mutant.source).toContain('"""Returns a - b if a < b and not a, else -a; see s[::-1]."""');
      expect(mutant.source).toContain('# a comment: a + b');
      expect(mutant.line).toBeGreaterThanOrEqual(7);
    }
    expect(result.filter((m) => m.operator === 'CRP')).toEqual([]);
  });

  it('makes one mutant per (operator, node, replacement), all different', () => {
    const cond = all.COND as GeneratedMutant[];
    // COND: ROR 5 (2 + 2 + 1), COI 3 (if, while, in), COD 2, LCR 2, SIR 3, CRP 4 (the numbers 1, 2, 1, 2).
    expect(cond.length).toBe(19);
    expect(cond.filter((m) => m.operator === 'CRP')).toHaveLength(4);
    expect(new Set(cond.map((m) => m.source)).size).toBe(cond.length);
    for (const mutant of cond) expect(mutant.source).not.toBe(COND);
  });

  it('a PUT that does not parse: PutParseError naming the line, and the other PUTs of the batch go on', async () => {
    expect(all.BROKEN).toBeInstanceOf(PutParseError);
    expect((all.BROKEN as PutParseError).line).toBe(1);
    expect((all.BROKEN as PutParseError).exitStatus).toBe('invalid-input');
    expect(Array.isArray(all.ARITH)).toBe(true);
    await expect(generateMutants(BROKEN)).rejects.toThrow(/does not parse \(line 1, column \d+\): SyntaxError/);
  });

  it("defaults to MuTAP's operators (all but CRP) and refuses an unknown operator", async () => {
    expect(MUTAP_OPERATORS).not.toContain('CRP');
    expect(MUTAP_OPERATORS).toHaveLength(19);
    const defaults = await generateMutants(CONSTANTS);
    expect(defaults.map((m) => m.operator)).toEqual(['AOR', 'AOR', 'AOR']);
    await expect(generateMutants(ARITH, { operators: ['AOR', 'XYZ'] })).rejects.toBeInstanceOf(
      InvalidExecutionRequestError,
    );
  });
});

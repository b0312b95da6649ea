import { describe, expect, it } from 'vitest';
import { splitAsserts } from '../../../src/techniques/mutap/assert-statements.ts';
import { scoringBody, scoringProgram, splitTestFile } from '../../../src/techniques/mutap/test-file.ts';

const PUT = 'def f(x):\n    return x + 1\n\n\n';

describe('test files', () => {
  it('splits at the first test header, as MuTAP does, and keeps only the text up to a second one', () => {
    const file = `${PUT}def test():\n    assert f(1) == 2\ndef test():\n    assert f(2) == 3\n`;
    expect(splitTestFile(file)).toEqual({ code: PUT, body: '\n    assert f(1) == 2\n' });
    expect(splitTestFile(PUT)).toBeNull();
  });

  it('has no usable test without a header or without an assert', () => {
    expect(scoringBody(PUT, 'test-function')).toBeNull();
    expect(scoringBody(`${PUT}def test():\n    f(1) == 2`, 'test-function')).toBeNull();
    expect(scoringBody(`${PUT}def test():\n    # x\n    assert f(1) == 2\n`, 'test-function')).toBe(
      '\n    # x\n    assert f(1) == 2\n',
    );
  });

  it("indents a greedy file's module-level asserts into a test body; the PUT's own lines stay out", () => {
    const greedy = `def g(x):\n    assert x\n    return x\n\n\nassert g(1) == 1\nassert g(2) == 2\n`;
    expect(scoringBody(greedy, 'greedy')).toBe('\n    assert g(1) == 1\n    assert g(2) == 2');
    expect(scoringBody(PUT, 'greedy')).toBeNull();
  });

  it('builds the program MuTAP runs: subject + def test(): + body + a call', () => {
    expect(scoringProgram(PUT, '\n    assert f(1) == 2\n')).toBe(`${PUT}def test():\n\n    assert f(1) == 2\n\ntest()`);
  });
});

describe('splitAsserts', () => {
  it('finds each assert statement, multi-line ones whole, and reports the other lines apart', () => {
    const body = [
      '',
      '    # basic cases',
      '    assert f(1) == 2',
      '    x = 3',
      '    assert f(x) == [',
      '        4,',
      '    ]',
      "    assert f('(') == ')'  # a bracket in a string",
      '    assert g("""a',
      'b""") == 1',
      '    assert h(1) == \\',
      '        2',
    ].join('\n');
    const { asserts, others } = splitAsserts(body);
    expect(asserts).toEqual([
      'assert f(1) == 2',
      'assert f(x) == [\n        4,\n    ]',
      "assert f('(') == ')'  # a bracket in a string",
      'assert g("""a\nb""") == 1',
      'assert h(1) == \\\n        2',
    ]);
    expect(others).toEqual(['    # basic cases', '    x = 3']);
  });

  it('does not take a name that starts with assert for an assert', () => {
    expect(splitAsserts('\n    asserted = 1\n    assert(asserted)\n').asserts).toEqual(['assert(asserted)']);
  });
});

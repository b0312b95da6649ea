import { describe, expect, it } from 'vitest';
import { callArguments } from '../../../src/techniques/mokav/calling-convention.ts';
import { parseCandidateInput } from '../../../src/techniques/mokav/parse-candidate-input.ts';
import { parsePythonLiteral } from '../../../src/techniques/mokav/python-literal.ts';
import { pyRepr } from '../../../src/techniques/mokav/python-value.ts';

describe('the reply parser (techniques §2.4 step 3)', () => {
  it("takes the FIRST {'inputdata': '...'} with a single-quoted string and decodes its escapes", () => {
    const reply = "Try this:\n```python\n{'inputdata': '3 4\\n1 2\\r'}\n```\nor {'inputdata': '9'}";
    expect(parseCandidateInput(reply, 'inputdata-string')).toEqual({ ok: true, input: '3 4\n1 2\r' });
  });

  it('drops (and says why) values that are not a single-quoted string: int and tuple values are silent losses', () => {
    for (const reply of ["{'inputdata': (5,)}", "{'inputdata': 5}", '{"inputdata": "5"}', "{'inputdata': \"it's\"}"]) {
      const parsed = parseCandidateInput(reply, 'inputdata-string');
      expect(parsed.ok, reply).toBe(false);
    }
  });

  it("removes the word python from the match, as Mokav did ({'inputdata': 'python'} is the empty string)", () => {
    expect(parseCandidateInput("{'inputdata': 'python'}", 'inputdata-string')).toEqual({ ok: true, input: '' });
  });

  it('drops a match whose string ends in a lone backslash (an unterminated literal)', () => {
    expect(parseCandidateInput("{'inputdata': 'abc\\'}", 'inputdata-string').ok).toBe(false);
  });

  it('QuixBugs replies: fences and the word python removed, the whole reply literal-evaluated', () => {
    expect(parseCandidateInput("```python\n{'inputdata': [[1, 2.0], (3,)]}\n```", 'whole-literal')).toEqual({
      ok: true,
      input: [[1, { __float__: '2.0' }], { __tuple__: [3] }],
    });
    // Spaces after the closing fence leave an indented last line: Python's IndentationError, so no input.
    expect(parseCandidateInput("```python\n{'inputdata': [[1]]}\n```  ", 'whole-literal').ok).toBe(false);
    expect(parseCandidateInput("{'inputdata': [1]} and more", 'whole-literal').ok).toBe(false);
  });
});

describe('Python literals', () => {
  it('reads dicts, sets, tuples, big ints, floats, negatives, None/True/False and joined strings', () => {
    const parsed = parsePythonLiteral("{'a': {1, 2}, 'b': (None, True), 'c': -2**1}");
    expect(parsed.ok).toBe(false); // ** is an operator, not a literal
    expect(parsePythonLiteral("{'a': {1, 2}, 'b': (None, True,), 'c': -12345678901234567890, 'd': 'x' \"y\"}")).toEqual(
      {
        ok: true,
        value: {
          __dict__: [
            ['a', { __set__: [1, 2] }],
            ['b', { __tuple__: [null, true] }],
            ['c', { __int__: '-12345678901234567890' }],
            ['d', 'xy'],
          ],
        },
      },
    );
    expect(parsePythonLiteral('1e3')).toEqual({ ok: true, value: { __float__: '1000.0' } });
    expect(parsePythonLiteral('1, 2')).toEqual({ ok: true, value: { __tuple__: [1, 2] } });
  });

  it('pyRepr writes values back as Python source', () => {
    expect(pyRepr({ __tuple__: ['a\nb', { __float__: '0.5' }] })).toBe("('a\\nb', 0.5)");
    expect(pyRepr({ __dict__: [["it's", null]] })).toBe('{"it\'s": None}');
  });
});

describe('the calling convention (techniques §2.2)', () => {
  it('splits a string on \\n only: \\r stays, a trailing newline gives an empty last argument', () => {
    expect(callArguments('3 4\r\n5\n')).toEqual(['3 4\r', '5', '']);
    expect(callArguments('3 4\r5')).toEqual(['3 4\r5']);
  });

  it('star-expands lists and tuples (QuixBugs); a dict is one argument; a number cannot be made into arguments', () => {
    expect(callArguments([[1, 2], 3])).toEqual([[1, 2], 3]);
    expect(callArguments({ __tuple__: ['a'] })).toEqual(['a']);
    expect(callArguments({ __dict__: [] })).toEqual([{ __dict__: [] }]);
    expect(callArguments(15)).toBeNull();
    expect(callArguments(15, { scalars: 'one-argument' })).toEqual([15]);
  });
});

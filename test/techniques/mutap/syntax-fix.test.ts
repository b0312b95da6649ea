import { describe, expect, it } from 'vitest';
import { type ParseVerdict, truncateAtError, truncateUntilParses } from '../../../src/techniques/mutap/syntax-fix.ts';

describe('syntax fix by truncation', () => {
  it("keeps lines 1..L on an error at line L (the error's line included, as released)", () => {
    expect(truncateAtError('a\nb\nc\nd', 2)).toBe('a\nb');
  });

  it('drops the last line when the error has no line or sits at or past the last line', () => {
    expect(truncateAtError('a\nb\nc', null)).toBe('a\nb');
    expect(truncateAtError('a\nb\nc', 3)).toBe('a\nb');
    expect(truncateAtError('a\nb\nc', 9)).toBe('a\nb');
  });

  it('repeats until the parse oracle accepts, one oracle call per step', async () => {
    // An oracle that accepts a file once no line ends in an open call; errors are reported at the end of file.
    const asked: string[] = [];
    const parse = async (source: string): Promise<ParseVerdict> => {
      asked.push(source);
      const lines = source.split('\n');
      const bad = lines.findIndex((line) => /\($/.test(line) || /== *$/.test(line));
      return bad < 0 ? { ok: true } : { ok: false, line: bad === 1 ? 2 : lines.length };
    };
    const file = 'def test():\n    assert f(1) == 2\n    assert f(2) ==\n    assert f(';
    const fixed = await truncateUntilParses(file, parse);
    expect(fixed).toEqual({ source: 'def test():\n    assert f(1) == 2', steps: 2 });
    expect(asked).toHaveLength(3);
  });

  it('ends with an empty file when nothing parses', async () => {
    const fixed = await truncateUntilParses('x(\ny(', async () => ({ ok: false, line: null }));
    expect(fixed.source).toBe('');
  });
});

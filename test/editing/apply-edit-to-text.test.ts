import { describe, expect, it } from 'vitest';
import { applyEditToText } from '../../src/editing/apply-edit-to-text.ts';
import { findClosestMatch } from '../../src/editing/closest-match.ts';

describe('applyEditToText', () => {
  it('replaces the single exact occurrence', () => {
    const result = applyEditToText('a\nb\nc\n', 'b\n', 'B\nB2\n');
    expect(result).toMatchObject({ ok: true, content: 'a\nB\nB2\nc\n' });
  });

  it('refuses an ambiguous SEARCH and names every occurrence line', () => {
    const result = applyEditToText('x = 1\ny = 2\nx = 1\n', 'x = 1\n', 'x = 3\n');
    expect(result).toEqual({ ok: false, reason: { kind: 'ambiguous', lines: [1, 3] } });
  });

  it('does not apply a near match; it reports the closest window with its line range', () => {
    const file = 'def f():\n    pass\n\ndef add(a, b):\n    return a - b\n\ndef g():\n    pass\n';
    const result = applyEditToText(file, 'def add(a, b):\n    return a-b\n', 'def add(a, b):\n    return a + b\n');
    expect(result.ok).toBe(false);
    if (result.ok || result.reason.kind !== 'no-match') throw new Error('expected no-match');
    expect(result.reason.closest?.startLine).toBe(4);
    expect(result.reason.closest?.endLine).toBe(5);
    expect(result.reason.closest?.text).toBe('def add(a, b):\n    return a - b');
    expect(result.reason.closest?.whitespaceOnly).toBe(false);
    expect(result.reason.closest?.similarity).toBeGreaterThan(0.8);
    expect(result.reason.closest?.similarity).toBeLessThan(1);
  });

  it('flags a match that differs only in indentation without applying it', () => {
    const result = applyEditToText('if x:\n    y()\n', 'if x:\n  y()\n', 'if x:\n  z()\n');
    if (result.ok || result.reason.kind !== 'no-match') throw new Error('expected no-match');
    expect(result.reason.closest?.whitespaceOnly).toBe(true);
  });

  it('matches a SEARCH ending the file when the file has no final newline, and keeps it that way', () => {
    const result = applyEditToText('a\nlast', 'last\n', 'final\n');
    expect(result).toMatchObject({ ok: true, content: 'a\nfinal' });
  });

  it('matches an LF SEARCH in a CRLF file and writes CRLF', () => {
    const result = applyEditToText('a\r\nb\r\nc\r\n', 'b\nc\n', 'B\nC\n');
    expect(result).toMatchObject({ ok: true, content: 'a\r\nB\r\nC\r\n' });
  });
});

describe('findClosestMatch', () => {
  it('prefers the earliest of equally good windows', () => {
    expect(findClosestMatch('foo\nbar\nfoo\n', 'fo\n')?.startLine).toBe(1);
  });

  it('returns undefined for an empty file', () => {
    expect(findClosestMatch('', 'x\n')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/replay/line-diff.ts';

const numbered = (count: number, label = 'line') => Array.from({ length: count }, (_, i) => `${label} ${i + 1}`);

describe('lineDiff (divergence reports)', () => {
  it('prints unified hunks with three lines of context', () => {
    const recorded = numbered(20).join('\n');
    const now = numbered(20)
      .map((l) => (l === 'line 10' ? 'line ten' : l))
      .join('\n');
    expect(lineDiff(recorded, now)).toBe(
      [
        '@@ -7,7 +7,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+line ten',
        ' line 11',
        ' line 12',
        ' line 13',
      ].join('\n'),
    );
  });

  it('is empty for equal texts and names no missing final newline', () => {
    expect(lineDiff('a\nb', 'a\nb')).toBe('');
    expect(lineDiff('a', 'b')).toBe('@@ -1,1 +1,1 @@\n-a\n+b');
  });

  it('reports a divergence between two 10,000-line texts (the old table diff gave up there)', () => {
    const recorded = numbered(10_000);
    const now = [...recorded];
    now[4_999] = 'line 5000, edited';
    now.splice(8_000, 0, 'an inserted line');
    const diff = lineDiff(recorded.join('\n'), now.join('\n'));
    expect(diff).toContain('@@ -4997,7 +4997,7 @@');
    expect(diff).toMatch(/^-line 5000$/m);
    expect(diff).toMatch(/^\+line 5000, edited$/m);
    expect(diff).toMatch(/^\+an inserted line$/m);
    expect(diff.split('\n').length).toBeLessThan(30);
  });

  it('shows where two texts start to differ when too many lines differ for a full diff', () => {
    const recorded = [...numbered(5), ...numbered(10_000, 'old')].join('\n');
    const now = [...numbered(5), ...numbered(10_000, 'new')].join('\n');
    const diff = lineDiff(recorded, now);
    expect(diff).toMatch(/^@@ -3,23 \+3,23 @@$/m);
    expect(diff).toMatch(/^ line 5\n-old 1$/m);
    expect(diff).toMatch(/^\+new 1$/m);
    expect(diff).not.toMatch(/^\+new 21$/m);
    expect(diff).toContain('recorded 10005 lines, now 10005');
  });
});

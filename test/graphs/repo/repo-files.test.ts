import { describe, expect, it } from 'vitest';
import { renderFileTree } from '../../../graphs/repo/repo-files.ts';

describe('renderFileTree', () => {
  const paths = [
    'README.md',
    ...Array.from({ length: 30 }, (_, i) => `src/pkg/module_${i}.py`),
    ...Array.from({ length: 20 }, (_, i) => `tests/test_${i}.py`),
    'src/main.py',
  ];

  it('lists every path when they fit', () => {
    expect(renderFileTree(paths, 100).split('\n')).toEqual(paths);
  });

  it('collapses the deepest folders that do not fit into one line with their file count, keeping every file shown', () => {
    const tree = renderFileTree(paths, 30).split('\n');
    expect(tree.length).toBeLessThanOrEqual(30);
    expect(tree).toContain('README.md');
    expect(tree).toContain('src/main.py');
    expect(tree).toContain('src/pkg/ (30 files)');
    expect(tree.filter((l) => l.startsWith('tests/test_'))).toHaveLength(20);
    const counted = tree.reduce((n, l) => n + Number(l.match(/\((\d+) files\)$/)?.[1] ?? 1), 0);
    expect(counted).toBe(paths.length);
  });

  it('falls back to the first paths when even the top-level folders do not fit', () => {
    const flat = Array.from({ length: 50 }, (_, i) => `file_${i}.txt`);
    expect(renderFileTree(flat, 10)).toBe(`${flat.slice(0, 10).join('\n')}\n... and 40 more`);
  });
});

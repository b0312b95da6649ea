import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEditBlocks } from '../../src/editing/apply-edit-blocks.ts';
import type { EditBlock } from '../../src/editing/edit-block.ts';
import { formatEditFailures } from '../../src/editing/format-edit-failures.ts';

let dir: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'refinery-edit-'));
  outside = mkdtempSync(join(tmpdir(), 'refinery-outside-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const block = (path: string, search: string, replace: string, replyLine = 1): EditBlock => ({
  path,
  search,
  replace,
  replyLine,
});

describe('applyEditBlocks', () => {
  it('applies blocks in order, each seeing the previous result, and creates new files in new directories', () => {
    writeFileSync(join(dir, 'a.py'), 'x = 1\ny = 2\n');
    const result = applyEditBlocks(dir, [
      block('a.py', 'x = 1\n', 'x = 10\n'),
      block('a.py', 'x = 10\ny = 2\n', 'x = 10\ny = 20\n'),
      block('tests/test_new.py', '', 'import unittest\n'),
    ]);
    expect(result.failures).toEqual([]);
    expect(result.changedFiles).toEqual(['a.py', 'tests/test_new.py']);
    expect(readFileSync(join(dir, 'a.py'), 'utf8')).toBe('x = 10\ny = 20\n');
    expect(readFileSync(join(dir, 'tests/test_new.py'), 'utf8')).toBe('import unittest\n');
  });

  it('writes the blocks that match and reports the one that does not, with the closest match', () => {
    writeFileSync(join(dir, 'a.py'), 'def add(a, b):\n    return a - b\n');
    writeFileSync(join(dir, 'b.py'), 'B = 1\n');
    const result = applyEditBlocks(dir, [
      block('a.py', 'def add(a, b):\n    return a-b\n', 'def add(a, b):\n    return a + b\n', 7),
      block('b.py', 'B = 1\n', 'B = 2\n'),
    ]);
    expect(readFileSync(join(dir, 'a.py'), 'utf8')).toBe('def add(a, b):\n    return a - b\n');
    expect(readFileSync(join(dir, 'b.py'), 'utf8')).toBe('B = 2\n');
    expect(result.failures).toHaveLength(1);
    const report = formatEditFailures(result.failures, result.applied.length);
    expect(report).toContain('a.py (block at reply line 7)');
    expect(report).toContain('Lines 1-2');
    expect(report).toContain('    return a - b');
    expect(report).toContain('The other 1 block(s) were applied');
  });

  it('refuses paths that leave the worktree: absolute, .., .git, and symlinks pointing outside', () => {
    symlinkSync(outside, join(dir, 'escape'));
    writeFileSync(join(outside, 'victim.txt'), 'safe\n');
    const result = applyEditBlocks(dir, [
      block('/etc/passwd', 'root', 'x'),
      block('../x.txt', '', 'x\n'),
      block('.git/config', '', 'x\n'),
      block('escape/victim.txt', 'safe\n', 'owned\n'),
      block('escape/new.txt', '', 'owned\n'),
    ]);
    expect(result.failures.map((f) => f.kind)).toEqual(Array(5).fill('unsafe-path'));
    expect(result.changedFiles).toEqual([]);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('safe\n');
    expect(existsSync(join(outside, 'new.txt'))).toBe(false);
  });

  it('allows a symlinked directory that stays inside the worktree', () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real/f.txt'), 'old\n');
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const result = applyEditBlocks(dir, [block('link/f.txt', 'old\n', 'new\n')]);
    expect(result.failures).toEqual([]);
    expect(result.changedFiles).toEqual(['real/f.txt']);
    expect(readFileSync(join(dir, 'real/f.txt'), 'utf8')).toBe('new\n');
  });

  it('reports a missing file and an empty SEARCH on an existing file without writing', () => {
    writeFileSync(join(dir, 'exists.txt'), 'content\n');
    const result = applyEditBlocks(dir, [block('missing.txt', 'a\n', 'b\n'), block('exists.txt', '', 'clobber\n')]);
    expect(result.failures.map((f) => f.kind)).toEqual(['file-missing', 'file-exists']);
    expect(readFileSync(join(dir, 'exists.txt'), 'utf8')).toBe('content\n');
    expect(existsSync(join(dir, 'missing.txt'))).toBe(false);
  });
});

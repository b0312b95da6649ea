import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Fixed identity and dates, so a rebuilt fixture repository has the same commit ids every time. */
const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/nonexistent',
  LANG: 'C',
  LC_ALL: 'C',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Fixture Author',
  GIT_AUTHOR_EMAIL: 'author@example.invalid',
  GIT_COMMITTER_NAME: 'Fixture Author',
  GIT_COMMITTER_EMAIL: 'author@example.invalid',
  GIT_AUTHOR_DATE: '1704067200 +0000',
  GIT_COMMITTER_DATE: '1704067200 +0000',
  GIT_OPTIONAL_LOCKS: '0',
};

export function git(dir: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: GIT_ENV,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

function initRepo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  writeFiles(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', 'Initial commit']);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

export const PYTHON_TEST_CMD = 'python3 -m unittest discover -s tests -t .';
export const JAVASCRIPT_TEST_CMD = 'node --test test/';

/** A Python package whose unittest suite fails: `mean` divides by len - 1. */
export function buildPythonFixtureRepo(dir: string): string {
  return initRepo(dir, {
    'README.md': '# stats\n\nSmall statistics helpers.\n',
    'stats/__init__.py': 'from .core import mean, median\n',
    'stats/core.py': [
      'def mean(values):',
      '    """Arithmetic mean of a non-empty list."""',
      '    return sum(values) / (len(values) - 1)',
      '',
      '',
      'def median(values):',
      '    ordered = sorted(values)',
      '    middle = len(ordered) // 2',
      '    if len(ordered) % 2:',
      '        return ordered[middle]',
      '    return (ordered[middle - 1] + ordered[middle]) / 2',
      '',
    ].join('\n'),
    'tests/__init__.py': '',
    'tests/test_core.py': [
      'import unittest',
      '',
      'from stats import mean, median',
      '',
      '',
      'class CoreTest(unittest.TestCase):',
      '    def test_mean(self):',
      '        self.assertEqual(mean([1, 2, 3, 4]), 2.5)',
      '',
      '    def test_median(self):',
      '        self.assertEqual(median([3, 1, 2]), 2)',
      '',
      '',
      "if __name__ == '__main__':",
      '    unittest.main()',
      '',
    ].join('\n'),
    '.gitignore': '__pycache__/\n',
  });
}

const slugPackage = { name: 'slug', version: '1.0.0', type: 'module', scripts: { test: 'node --test test/' } };

/** A JavaScript package whose `node --test` suite fails: `slugify` keeps upper case. */
export function buildJavascriptFixtureRepo(dir: string): string {
  return initRepo(dir, {
    'package.json': `${JSON.stringify(slugPackage, null, 2)}\n`,
    'src/slugify.js': [
      'export function slugify(text) {',
      '  return text',
      '    .trim()',
      "    .replace(/[^A-Za-z0-9]+/g, '-')",
      "    .replace(/^-+|-+$/g, '');",
      '}',
      '',
    ].join('\n'),
    'test/slugify.test.js': [
      "import { test } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "import { slugify } from '../src/slugify.js';",
      '',
      "test('lower-cases and joins words with dashes', () => {",
      "  assert.equal(slugify('  Hello World! '), 'hello-world');",
      '});',
      '',
    ].join('\n'),
  });
}

/**
 * Makes the user's tree dirty in every way git distinguishes: an unstaged edit, a staged edit, an
 * untracked file and a stash entry. Returns the paths of the files it touched.
 */
export function makeUserTreeDirty(dir: string, files: { unstaged: string; staged: string }): string[] {
  writeFileSync(join(dir, files.staged), `${readFileSync(join(dir, files.staged), 'utf8')}\n<!-- staged note -->\n`);
  git(dir, ['add', '--', files.staged]);
  // A stash entry first (from a throwaway change), then the unstaged edit that stays in the tree.
  writeFileSync(join(dir, files.unstaged), `${readFileSync(join(dir, files.unstaged), 'utf8')}# stashed change\n`);
  git(dir, ['stash', 'push', '--quiet', '--keep-index', '-m', 'user stash', '--', files.unstaged]);
  writeFileSync(join(dir, files.unstaged), `${readFileSync(join(dir, files.unstaged), 'utf8')}# work in progress\n`);
  writeFileSync(join(dir, 'NOTES.local'), 'untracked user notes\n');
  return [files.unstaged, files.staged, 'NOTES.local'];
}

export interface UserTreeSnapshot {
  indexSha256: string;
  head: string;
  symbolicHead: string;
  status: string;
  stash: string;
  files: Record<string, string>;
}

/** Everything the issue promises not to touch. The index is hashed before anything else reads it. */
export function snapshotUserTree(dir: string, paths: string[]): UserTreeSnapshot {
  const gitDir = git(dir, ['rev-parse', '--absolute-git-dir']).trim();
  const indexPath = join(gitDir, 'index');
  const indexSha256 = existsSync(indexPath)
    ? createHash('sha256').update(readFileSync(indexPath)).digest('hex')
    : 'none';
  return {
    indexSha256,
    head: git(dir, ['rev-parse', 'HEAD']).trim(),
    symbolicHead: git(dir, ['symbolic-ref', 'HEAD']).trim(),
    status: git(dir, ['status', '--porcelain=v2', '--branch', '--untracked-files=all']),
    stash: git(dir, ['stash', 'list', '--format=%H %gs']),
    files: Object.fromEntries(paths.map((p) => [p, readFileSync(join(dir, p), 'utf8')])),
  };
}

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoMap } from '../../src/context/repo-map.ts';
import { buildRepoMap } from '../../src/context/repo-map.ts';
import { ExplorationToolbox } from '../../src/tools/exploration-toolbox.ts';
import { git } from '../support/fixture-repos.ts';

const SECRET = 'OUTSIDE-SECRET-7d1f0c';
let base: string;
let root: string;
let toolbox: ExplorationToolbox;
const run = (name: string, args: Record<string, unknown> | string) =>
  toolbox.run({ name, arguments: typeof args === 'string' ? args : JSON.stringify(args) });

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'refinery-tools-'));
  root = join(base, 'repo');
  // Outside the worktree: a file and a folder that no tool may read.
  writeFileSync(join(base, 'secret.txt'), `${SECRET}\n`);
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'data.py'), `KEY = "${SECRET}"\n\n\ndef leaked_secret_fn():\n    return KEY\n`);
  mkdirSync(join(root, 'pkg'), { recursive: true });
  const body = Array.from({ length: 300 }, (_, i) => `    value_${i} = ${i}`).join('\n');
  writeFileSync(
    join(root, 'pkg', 'core.py'),
    `def mean(values):\n    return sum(values) / len(values)\n\n\nclass Table:\n    def total(self):\n        return mean([1])\n${body}\n`,
  );
  writeFileSync(join(root, 'pkg', 'use.py'), 'from pkg.core import mean\n\nprint(mean([1, 2]))\n');
  writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
  symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
  symlinkSync(join(base, 'outside'), join(root, 'linked-dir'));
  symlinkSync(join(base, 'outside', 'data.py'), join(root, 'evil.py'));
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', 'init']);
  let map: Promise<RepoMap> | undefined;
  toolbox = new ExplorationToolbox({
    root,
    listFiles: async () => git(root, ['ls-files']).split('\n').filter(Boolean),
    repoMap: () => {
      map ??= buildRepoMap(root, { cacheDir: false });
      return map;
    },
  });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('exploration tools', () => {
  it('declare JSON Schema parameters derived from their zod schemas', () => {
    const open = toolbox.definitions.find((d) => d.name === 'open_file');
    expect(open?.parameters).toMatchObject({ type: 'object', required: ['path'], additionalProperties: false });
    expect(toolbox.definitions.map((d) => d.name)).toEqual([
      'search_code',
      'find_symbol',
      'open_file',
      'list_dir',
      'find_definition',
      'find_references',
    ]);
  });

  it('open_file shows a numbered line range and says how to read on', async () => {
    const result = await run('open_file', { path: 'pkg/core.py', start_line: 5, end_line: 7 });
    expect(result.isError).toBe(false);
    expect(result.content).toBe(
      'pkg/core.py: lines 5-7 of 307 (' +
        `${result.content.match(/\((\d+) bytes\)/)?.[1]} bytes)\n` +
        '  5| class Table:\n  6|     def total(self):\n  7|         return mean([1])\n' +
        '... 300 more lines; open_file with start_line 8 to read on',
    );
    expect((await run('open_file', { path: 'pkg/core.py', start_line: 400 })).content).toContain('307 lines');
  });

  it('search_code finds lines by regex, within a path, and reports bad patterns as errors', async () => {
    const hits = await run('search_code', { pattern: 'mean\\(', path: 'pkg' });
    expect(hits.content.split('\n')).toEqual([
      '3 matching lines',
      'pkg/core.py:1: def mean(values):',
      'pkg/core.py:7: return mean([1])',
      'pkg/use.py:3: print(mean([1, 2]))',
    ]);
    expect((await run('search_code', { pattern: '(a+)+$' })).content).toContain('exponential time');
    expect((await run('search_code', { pattern: '(def|class) \\w+' })).isError).toBe(false);
    const bad = await run('search_code', { pattern: '(' });
    expect(bad.isError).toBe(true);
    expect(bad.content).toContain('invalid regular expression');
  });

  it('symbol tools answer from the repository map', async () => {
    const def = await run('find_definition', { name: 'mean' });
    expect(def.content).toContain('pkg/core.py:1 function mean: def mean(values):');
    const refs = await run('find_references', { name: 'mean' });
    expect(refs.content).toContain('pkg/use.py:3');
    expect(refs.content).toContain('pkg/core.py:7');
    const sym = await run('find_symbol', { query: 'TAB' });
    expect(sym.content).toContain('pkg/core.py:5 class Table');
  });

  it('list_dir lists folders and sizes, and shows symlinks without following them', async () => {
    const listing = await run('list_dir', {});
    expect(listing.content).toContain('pkg/');
    expect(listing.content).toContain('link.txt (symbolic link, not followed)');
    expect(listing.content).toContain('linked-dir (symbolic link, not followed)');
    expect(listing.content).not.toContain('.git');
  });

  it('a binary file, bad arguments and unknown tools are clear error results', async () => {
    expect((await run('open_file', { path: 'logo.png' })).content).toContain('binary file');
    expect((await run('open_file', { line: 3 })).content).toContain('open_file: path:');
    expect((await run('open_file', '{not json')).content).toContain('not JSON');
    expect((await run('delete_repo', {})).content).toContain('the tools are search_code');
  });

  it.each([
    ['open_file', { path: '../secret.txt' }, "'..' is not allowed"],
    ['open_file', { path: '<outside>/secret.txt' }, 'absolute paths are not allowed'],
    ['open_file', { path: 'link.txt' }, 'resolves outside the repository'],
    ['open_file', { path: 'linked-dir/data.py' }, 'resolves outside the repository'],
    ['open_file', { path: '.git/config' }, 'under .git'],
    ['list_dir', { path: 'linked-dir' }, 'resolves outside the repository'],
    ['list_dir', { path: '..' }, "'..' is not allowed"],
    ['search_code', { pattern: 'SECRET', path: '../secret.txt' }, 'no repository file'],
  ])('%s %j is refused and reads nothing outside', async (name, args, message) => {
    const result = await run(name, JSON.parse(JSON.stringify(args).replace('<outside>', base)));
    expect(result.isError).toBe(true);
    expect(result.content).toContain(message);
    expect(result.content).not.toContain(SECRET);
  });

  it('a search of the whole tree, or of its symbols, never reaches the files behind symlinks', async () => {
    const result = await run('search_code', { pattern: 'SECRET|KEY' });
    expect(result.content).not.toContain(SECRET);
    // evil.py is a tracked symlink to a Python file outside: the map has no definitions from it.
    expect((await run('find_symbol', { query: 'leaked' })).content).toBe('no definition whose name contains "leaked"');
    expect((await run('open_file', { path: 'evil.py' })).content).toContain('resolves outside the repository');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepoMap } from '../../src/context/repo-map.ts';

let work: string;
let repo: string;

const FILES: Record<string, string> = {
  'pkg/shapes.py': [
    'class Shape:',
    '    def area(self):',
    '        raise NotImplementedError',
    '',
    'class Square(Shape):',
    '    def __init__(self, side):',
    '        self.side = side',
    '',
    '    def area(self):',
    '        return square_of(self.side)',
    '',
    'def square_of(x):',
    '    return x * x',
    '',
  ].join('\n'),
  'pkg/use.py': 'from pkg.shapes import Square\n\nTOTAL = Square(2).area()\n',
  'web/app.ts':
    'export class Store { get(key: string) { return lookup(key); } }\nexport function lookup(k: string) { return k; }\n',
  'web/broken.py': ')))) this is not python ((((\n',
  'data.bin': '\u0000\u0001binary',
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'refinery-repo-map-'));
  repo = join(work, 'repo');
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  writeFileSync(join(work, 'secret.py'), 'def outside_secret():\n    pass\n');
  symlinkSync(join(work, 'secret.py'), join(repo, 'link.py'));
  symlinkSync(work, join(repo, 'outside'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('buildRepoMap', () => {
  it('indexes Python definitions with their kinds and the references to them', async () => {
    const map = await buildRepoMap(repo, { cacheDir: false });
    expect(map.definitions('Square')).toEqual([
      { path: 'pkg/shapes.py', line: 5, name: 'Square', role: 'definition', kind: 'class' },
    ]);
    expect(map.definitions('area').map((t) => [t.line, t.kind])).toEqual([
      [2, 'method'],
      [9, 'method'],
    ]);
    expect(map.definitions('square_of')[0]).toMatchObject({ line: 12, kind: 'function' });
    expect(map.references('square_of')).toEqual([
      { path: 'pkg/shapes.py', line: 10, name: 'square_of', role: 'reference', kind: 'call' },
    ]);
    expect(map.references('Square').map((t) => t.path)).toEqual(['pkg/use.py', 'pkg/use.py']);
    expect(map.definitions('TOTAL')[0]).toMatchObject({ path: 'pkg/use.py', kind: 'constant' });
  });

  it('parses TypeScript with the JavaScript and TypeScript tags queries', async () => {
    const map = await buildRepoMap(repo, { cacheDir: false });
    expect(map.definitions('Store')[0]).toMatchObject({ path: 'web/app.ts', kind: 'class' });
    expect(map.definitions('lookup')[0]).toMatchObject({ path: 'web/app.ts', line: 2, kind: 'function' });
    expect(map.references('lookup')[0]).toMatchObject({ path: 'web/app.ts', line: 1 });
  });

  it('gives binary files, unparseable code and symlinks out of the tree no tags and reads nothing outside', async () => {
    const map = await buildRepoMap(repo, { cacheDir: false });
    expect(map.files).toContain('data.bin');
    expect(map.tagsOf('data.bin')).toEqual([]);
    expect(map.tagsOf('web/broken.py').filter((t) => t.role === 'definition')).toEqual([]);
    expect(map.files).toContain('link.py');
    expect(map.definitions('outside_secret')).toEqual([]);
  });

  it('reads nothing through a symlinked folder that leaves the tree, even when asked for such a path', async () => {
    const map = await buildRepoMap(repo, {
      cacheDir: false,
      files: ['outside/secret.py', '../secret.py', 'pkg/use.py'],
    });
    expect(map.definitions('outside_secret')).toEqual([]);
    expect(map.definitions('TOTAL')[0]).toMatchObject({ path: 'pkg/use.py' });
  });

  it('caches tags by blob hash: a second build on the same tree parses nothing', async () => {
    const cacheDir = join(work, 'cache');
    const first = await buildRepoMap(repo, { cacheDir });
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    // a changed file is parsed again; the cache serves the same tags for the unchanged ones
    writeFileSync(join(repo, 'pkg/use.py'), 'from pkg.shapes import Square\n\ndef make():\n    return Square(3)\n');
    const second = await buildRepoMap(repo, { cacheDir });
    expect(second.tagsOf('pkg/shapes.py')).toEqual(first.tagsOf('pkg/shapes.py'));
    expect(second.definitions('make')[0]).toMatchObject({ path: 'pkg/use.py', line: 3 });
    expect(second.definitions('TOTAL')).toEqual([]);
  });

  it('by default caches inside the git directory, never in the working tree', async () => {
    await buildRepoMap(repo);
    expect(existsSync(join(repo, '.git', 'refinery', 'context-cache'))).toBe(true);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo }).toString()).not.toContain('refinery');
  });
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { resolveInsideRoot } from '../editing/resolve-inside-root.ts';

const run = promisify(execFile);

/** Larger files are listed but not read (minified bundles, data dumps). */
export const MAX_READ_BYTES = 1_000_000;

/** One file of a tree as the context code sees it: its text, or why it has none. */
export type TreeFile =
  | { path: string; kind: 'text'; text: string; bytes: number; blobHash: string }
  | { path: string; kind: 'binary' | 'too-large' | 'unreadable'; bytes: number };

/**
 * The files of a tree: `git ls-files` when `root` is inside a git work tree (paths relative to `root`),
 * otherwise a walk that skips dot-folders and node_modules. Sorted.
 */
export async function listTreeFiles(root: string): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['-c', 'core.quotepath=off', 'ls-files', '-z'], {
      cwd: root,
      maxBuffer: 256 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    return stdout
      .split('\0')
      .filter((p) => p !== '')
      .sort();
  } catch {
    return walk(root);
  }
}

function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) visit(absolute);
      else if (entry.isFile()) out.push(relative(root, absolute).split(sep).join('/'));
    }
  };
  visit(root);
  return out.sort();
}

/** Whether the folder (relative to the real root) resolves, through any symlinks, inside the root. */
export function isInside(realRoot: string, folder: string): boolean {
  try {
    const real = realpathSync(join(realRoot, folder));
    return real === realRoot || real.startsWith(`${realRoot}${sep}`);
  } catch {
    return false;
  }
}

/** The git blob id of some bytes (sha1 of `blob <size>\0<bytes>`): the same id git gives the file. */
export function gitBlobHash(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * Reads one file of the tree, never outside it: the path must resolve inside `root` (no `..`, no absolute
 * path, nothing under .git, no symlink leaving the tree). A NUL byte in the first 8,000 bytes makes it binary.
 */
export function readTreeFile(
  root: string,
  path: string,
  realRoot = realpathSync(root),
  folderInside: (folder: string) => boolean = (folder) => isInside(realRoot, folder),
): TreeFile {
  let absolute = join(realRoot, path);
  try {
    const link = lstatSync(absolute);
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const plain =
      !link.isSymbolicLink() &&
      !path.split('/').some((s) => s === '..' || s === '.git' || s === '') &&
      (folder === '' || folderInside(folder));
    if (!plain) {
      const resolved = resolveInsideRoot(realRoot, path);
      if (!resolved.ok) return { path, kind: 'unreadable', bytes: 0 };
      absolute = resolved.absolute;
    }
    const stat = plain ? link : lstatSync(absolute);
    if (!stat.isFile()) return { path, kind: 'unreadable', bytes: 0 };
    if (stat.size > MAX_READ_BYTES) return { path, kind: 'too-large', bytes: stat.size };
    const buffer = readFileSync(absolute);
    if (buffer.subarray(0, 8000).includes(0)) return { path, kind: 'binary', bytes: buffer.length };
    let blobHash: string | undefined;
    return {
      path,
      kind: 'text',
      text: buffer.toString('utf8'),
      bytes: buffer.length,
      // hashed on first use: git's index already knows most files' blob ids
      get blobHash() {
        blobHash ??= gitBlobHash(buffer);
        return blobHash;
      },
    };
  } catch {
    return { path, kind: 'unreadable', bytes: 0 };
  }
}

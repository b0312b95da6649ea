import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

export type ResolvedPath = { ok: true; absolute: string; relative: string } | { ok: false; detail: string };

/**
 * Resolves a model-supplied relative path inside `root`. Rejects absolute paths, `..` segments,
 * anything under `.git`, and paths whose existing part resolves (through symlinks) outside `root`.
 */
export function resolveInsideRoot(root: string, path: string): ResolvedPath {
  if (path === '' || path.includes('\0')) return { ok: false, detail: 'empty or NUL-containing path' };
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) {
    return { ok: false, detail: 'absolute paths are not allowed; give a path relative to the repository root' };
  }
  const segments = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return { ok: false, detail: 'path names no file' };
  if (segments.includes('..')) return { ok: false, detail: "'..' is not allowed in paths" };
  if (segments.some((s) => s.toLowerCase() === '.git'))
    return { ok: false, detail: 'paths under .git are not allowed' };
  const realRoot = realpathSync(root);
  const target = join(realRoot, ...segments);
  // Walk up to the deepest part of the path that exists and resolve it through any symlinks.
  let existing = target;
  while (!existsSync(existing) && !isDanglingSymlink(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (isDanglingSymlink(existing)) return { ok: false, detail: `'${path}' goes through a dangling symlink` };
  const resolvedExisting = realpathSync(existing);
  const rest = relative(existing, target);
  const resolved = rest === '' ? resolvedExisting : join(resolvedExisting, rest);
  const fromRoot = relative(realRoot, resolved);
  if (fromRoot === '' || fromRoot.startsWith(`..${sep}`) || fromRoot === '..' || isAbsolute(fromRoot)) {
    return { ok: false, detail: `'${path}' resolves outside the repository` };
  }
  if (fromRoot.split(sep).some((s) => s.toLowerCase() === '.git')) {
    return { ok: false, detail: 'paths under .git are not allowed' };
  }
  return { ok: true, absolute: resolved, relative: fromRoot.split(sep).join('/') };
}

function isDanglingSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && !existsSync(path);
  } catch {
    return false;
  }
}

import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInsideRoot } from '../editing/resolve-inside-root.ts';

/** Files larger than this are not read by the tools (they answer with the size instead). */
export const MAX_TOOL_FILE_BYTES = 2_000_000;

export type WorktreePath = { ok: true; absolute: string; relative: string } | { ok: false; detail: string };

export type WorktreeText =
  | { ok: true; path: string; absolute: string; text: string; bytes: number }
  | { ok: false; detail: string };

/**
 * Where a model-supplied path is inside the worktree: relative paths only, no `..`, nothing under `.git`,
 * real paths resolved so that no symlinked folder leads out, and the target itself never a symlink. The check
 * is made on the path before anything is opened, so nothing outside `root` is read, not even to say what it is.
 */
export function resolveWorktreePath(root: string, path: string): WorktreePath {
  const trimmed = path.trim();
  if (trimmed === '' || trimmed === '.' || trimmed === './')
    return { ok: true, absolute: realpathSync(root), relative: '.' };
  const resolved = resolveInsideRoot(root, trimmed);
  if (!resolved.ok)
    return {
      ok: false,
      detail: `${JSON.stringify(path)}: ${resolved.detail}; the tools read only inside the repository`,
    };
  let link = false;
  try {
    link = lstatSync(join(realpathSync(root), resolved.relative)).isSymbolicLink();
  } catch {
    // Missing: the caller says so.
  }
  if (link) return { ok: false, detail: `${JSON.stringify(path)} is a symbolic link; the tools do not follow links` };
  return resolved;
}

/** A text file inside the worktree, or why it cannot be shown (outside, missing, a folder, binary, too large). */
export function readWorktreeText(root: string, path: string): WorktreeText {
  const resolved = resolveWorktreePath(root, path);
  if (!resolved.ok) return resolved;
  let size: number;
  try {
    const stat = statSync(resolved.absolute);
    if (stat.isDirectory()) return { ok: false, detail: `${resolved.relative} is a folder; list it with list_dir` };
    if (!stat.isFile()) return { ok: false, detail: `${resolved.relative} is not a regular file` };
    size = stat.size;
  } catch {
    return { ok: false, detail: `${resolved.relative} does not exist` };
  }
  if (size > MAX_TOOL_FILE_BYTES)
    return {
      ok: false,
      detail: `${resolved.relative} has ${size} bytes, more than the tools read (${MAX_TOOL_FILE_BYTES})`,
    };
  const buffer = readFileSync(resolved.absolute);
  if (buffer.subarray(0, 8000).includes(0))
    return { ok: false, detail: `${resolved.relative} is a binary file (${size} bytes); its contents are not shown` };
  return { ok: true, path: resolved.relative, absolute: resolved.absolute, text: buffer.toString('utf8'), bytes: size };
}

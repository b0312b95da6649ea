import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolveInsideRoot } from '../../src/editing/resolve-inside-root.ts';
import { fenceText } from '../../src/text/markdown-fences.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';

const MAX_SINGLE_FILE = 24_000;

export async function listTrackedFiles(dir: string): Promise<string[]> {
  const out = await workspaceGit(dir).raw(['ls-files', '-z']);
  return out.split('\0').filter((p) => p !== '');
}

/** The file tree for the planner: tracked paths plus new files the run created, capped. */
export function renderFileTree(paths: string[], maxEntries: number): string {
  const shown = paths.slice(0, maxEntries);
  const more = paths.length - shown.length;
  return shown.join('\n') + (more > 0 ? `\n... and ${more} more` : '');
}

function readText(dir: string, path: string): string | undefined {
  const resolved = resolveInsideRoot(dir, path);
  if (!resolved.ok || !existsSync(resolved.absolute)) return undefined;
  const stat = statSync(resolved.absolute);
  if (!stat.isFile() || stat.size > MAX_SINGLE_FILE) return undefined;
  const buffer = readFileSync(resolved.absolute);
  if (buffer.subarray(0, 8000).includes(0)) return undefined;
  return buffer.toString('utf8');
}

/**
 * Orders candidate files by how likely they matter: named by the planner or already edited first, then
 * files the test output mentions, then files whose name appears in the task, then test files, then the
 * rest; within a rank, tracked order. Text files only, within `maxBytes` in total.
 */
export function selectRelevantFiles(
  dir: string,
  candidates: string[],
  hints: { pinned: string[]; taskText: string; testOutput: string },
  maxBytes: number,
): string[] {
  const rank = (path: string): number => {
    if (hints.pinned.includes(path)) return 0;
    if (hints.testOutput.includes(path)) return 1;
    const stem = path
      .split('/')
      .pop()!
      .replace(/\.[^.]+$/, '');
    if (stem.length > 2 && new RegExp(`\\b${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(hints.taskText))
      return 2;
    if (/test|spec/i.test(path)) return 3;
    return 4;
  };
  const all = [...new Set([...hints.pinned, ...candidates])];
  const ordered = all
    .map((path, index) => ({ path, index, rank: rank(path) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  const chosen: string[] = [];
  let used = 0;
  for (const { path } of ordered) {
    const text = readText(dir, path);
    if (text === undefined || used + text.length > maxBytes) continue;
    chosen.push(path);
    used += text.length;
  }
  return chosen;
}

/** Files as the agents see them: the path on its own line, then the contents in a fence. */
export function renderFiles(dir: string, paths: string[]): string {
  const parts: string[] = [];
  for (const path of paths) {
    const text = readText(dir, path);
    if (text === undefined) continue;
    parts.push(`${path}\n${fenceText(text)}`);
  }
  return parts.length ? parts.join('\n\n') : '(no files)';
}

import type { ContextBudgetOptions } from '../../src/context/context-budget-schema.ts';
import { selectContext } from '../../src/context/select-context.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';

export async function listTrackedFiles(dir: string): Promise<string[]> {
  const out = await workspaceGit(dir).raw(['ls-files', '-z']);
  return out.split('\0').filter((p) => p !== '');
}

/**
 * The file tree for the planner: every path when there are at most `maxEntries`; otherwise the deepest level
 * of folders that fits, each deeper folder collapsed to one line with its file count.
 */
export function renderFileTree(paths: string[], maxEntries: number): string {
  if (paths.length <= maxEntries) return paths.join('\n');
  let best: string[] = [];
  for (let depth = 1; depth < 64; depth++) {
    const lines: string[] = [];
    const folders = new Map<string, number>();
    for (const path of paths) {
      const segments = path.split('/');
      if (segments.length <= depth) lines.push(path);
      else {
        const folder = `${segments.slice(0, depth).join('/')}/`;
        if (!folders.has(folder)) lines.push(folder);
        folders.set(folder, (folders.get(folder) ?? 0) + 1);
      }
    }
    if (lines.length > maxEntries) break;
    best = lines.map((line) => (folders.has(line) ? `${line} (${folders.get(line)} files)` : line));
    if (folders.size === 0) break;
  }
  if (best.length === 0) {
    const shown = paths.slice(0, maxEntries);
    return `${shown.join('\n')}\n... and ${paths.length - shown.length} more`;
  }
  return best.join('\n');
}

/**
 * What the planner, tester and coder are shown of the worktree (src/context/select-context.ts, the same as
 * `refinery context`): the files already touched or planned first, then the files ranked for the task and the
 * latest test output, whole or in part (a large file as its outline plus the relevant functions), within
 * `budget.fileChars`; then the repository map of the next files within `budget.mapChars`.
 */
export async function renderRepoContext(
  dir: string,
  hints: { pinned: string[]; taskText: string; testOutput: string; files: string[] },
  budget: ContextBudgetOptions,
): Promise<string> {
  const selection = await selectContext(
    dir,
    { task: hints.taskText, testOutput: hints.testOutput, pinned: hints.pinned, budget },
    { files: hints.files },
  );
  if (selection.mapText === '') return selection.filesText;
  return `${selection.filesText}\n\nRepository map (the next files by relevance, with their top-level definitions):\n${selection.mapText}`;
}

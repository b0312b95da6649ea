import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskError } from '../runtime/task-error.ts';
import type { RepositoryInfo } from './inspect-repository.ts';
import { WorkspaceError } from './workspace-error.ts';
import { workspaceGit } from './workspace-git.ts';

/** A detached checkout of one revision, outside the user's tree; `remove` deletes it and its git metadata. */
export interface RevisionWorktree {
  dir: string;
  /** The full commit id the revision resolved to. */
  commit: string;
  remove(): Promise<void>;
}

/** The commit a revision names, or bad input naming the flag (`--base main~1`). */
export async function resolveRevision(repo: RepositoryInfo, revision: string, flag: string): Promise<string> {
  try {
    const commit = (
      await workspaceGit(repo.root).raw(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])
    ).trim();
    if (commit) return commit;
  } catch {
    // fall through
  }
  throw new TaskError(flag, revision, `not a commit in ${repo.root}`);
}

/**
 * `git worktree add --detach` of a commit into a fresh temporary directory: no branch is created, and the user's
 * working tree, index and current branch are untouched. Removed (directory and worktree metadata) by `remove`.
 */
export async function createRevisionWorktree(repo: RepositoryInfo, commit: string): Promise<RevisionWorktree> {
  const parent = mkdtempSync(join(tmpdir(), 'refinery-revision-'));
  const dir = join(parent, 'tree');
  const git = workspaceGit(repo.root);
  try {
    await git.raw(['worktree', 'add', '--quiet', '--detach', dir, commit]);
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw new WorkspaceError('git worktree add --detach', repo.root, (error as Error).message.trim());
  }
  return {
    dir,
    commit,
    async remove() {
      try {
        await git.raw(['worktree', 'remove', '--force', dir]);
      } finally {
        rmSync(parent, { recursive: true, force: true });
        await git.raw(['worktree', 'prune']).catch(() => {});
      }
    },
  };
}

/** The worktree's tracked files matching a pathspec (`*.py`), by path relative to its top, with their text. */
export async function trackedFiles(worktree: RevisionWorktree, pathspec: string): Promise<Record<string, string>> {
  const list = (await workspaceGit(worktree.dir).raw(['ls-files', '-z', '--', pathspec])).split('\0').filter(Boolean);
  return Object.fromEntries(list.map((path) => [path, readFileSync(join(worktree.dir, path), 'utf8')]));
}

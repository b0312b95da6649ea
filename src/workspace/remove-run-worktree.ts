import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { branchExists } from './branch-names.ts';
import { WORKTREES_DIR } from './create-run-worktree.ts';
import { workspaceGit } from './workspace-git.ts';

export interface RemovedWorktree {
  worktreeRemoved: boolean;
  branchDeleted: boolean;
}

/**
 * Removes a run's worktree (uncommitted changes in it included) and deletes its branch. Leaves the user's
 * tree alone; drops the `refinery-worktrees` directory once it is empty.
 */
export async function removeRunWorktree(
  repo: { root: string; commonDir: string },
  worktree: { dir: string; branch: string },
): Promise<RemovedWorktree> {
  const git = workspaceGit(repo.root);
  let worktreeRemoved = false;
  if (existsSync(worktree.dir)) {
    await git.raw(['worktree', 'remove', '--force', '--force', worktree.dir]);
    worktreeRemoved = true;
  }
  await git.raw(['worktree', 'prune']);
  let branchDeleted = false;
  if (await branchExists(git, worktree.branch)) {
    await git.raw(['branch', '-D', '--quiet', worktree.branch]);
    branchDeleted = true;
  }
  const parent = join(repo.commonDir, WORKTREES_DIR);
  if (existsSync(parent) && readdirSync(parent).length === 0) rmdirSync(parent);
  return { worktreeRemoved, branchDeleted };
}

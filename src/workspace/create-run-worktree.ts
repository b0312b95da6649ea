import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TaskError } from '../runtime/task-error.ts';
import { branchExists, isValidBranchName } from './branch-names.ts';
import type { RepositoryInfo } from './inspect-repository.ts';
import type { RunWorktree } from './run-worktree.ts';
import { WorkspaceError } from './workspace-error.ts';
import { workspaceGit } from './workspace-git.ts';

export const WORKTREES_DIR = 'refinery-worktrees';

/** Worktrees live inside the git directory, so they never show up in the user's `git status`. */
export function worktreeDirFor(commonDir: string, runId: string): string {
  return join(commonDir, WORKTREES_DIR, runId);
}

/**
 * `git worktree add -b <branch> <dir> <base>`. Touches only the git directory (refs, worktree metadata,
 * objects); the user's working tree, index, stash and current branch stay as they are.
 */
export async function createRunWorktree(
  repo: RepositoryInfo,
  options: { runId: string; branch: string; base: string },
): Promise<RunWorktree> {
  const git = workspaceGit(repo.root);
  if (!(await isValidBranchName(git, options.branch))) {
    throw new TaskError('--branch', options.branch, 'not a valid git branch name');
  }
  if (await branchExists(git, options.branch)) {
    throw new TaskError(
      '--branch',
      options.branch,
      `branch already exists in ${repo.root}; pick another name or delete it`,
    );
  }
  const dir = worktreeDirFor(repo.commonDir, options.runId);
  if (existsSync(dir)) throw new TaskError('run id', options.runId, `worktree directory ${dir} already exists`);
  mkdirSync(join(repo.commonDir, WORKTREES_DIR), { recursive: true });
  try {
    await git.raw(['worktree', 'add', '--quiet', '-b', options.branch, dir, options.base]);
  } catch (error) {
    throw new WorkspaceError('git worktree add', repo.root, (error as Error).message.trim());
  }
  return { dir, branch: options.branch, base: options.base };
}

import { runBranchName } from './branch-names.ts';
import { worktreeDirFor } from './create-run-worktree.ts';
import type { RepositoryInfo } from './inspect-repository.ts';
import { workspaceGit } from './workspace-git.ts';

export interface FoundRunWorktree {
  dir: string;
  /** The branch checked out in the worktree, or `refinery/<runId>` when the worktree is gone. */
  branch: string;
  worktreeExists: boolean;
}

/** Locates the worktree a run made (`<git-dir>/refinery-worktrees/<runId>`) and the branch it is on. */
export async function findRunWorktree(repo: RepositoryInfo, runId: string): Promise<FoundRunWorktree> {
  const dir = worktreeDirFor(repo.commonDir, runId);
  const listing = await workspaceGit(repo.root).raw(['worktree', 'list', '--porcelain']);
  for (const entry of listing.split('\n\n')) {
    const lines = entry.split('\n');
    const path = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    if (path !== dir) continue;
    const ref = lines.find((l) => l.startsWith('branch '))?.slice('branch '.length);
    return { dir, branch: ref ? ref.replace(/^refs\/heads\//, '') : runBranchName(runId), worktreeExists: true };
  }
  return { dir, branch: runBranchName(runId), worktreeExists: false };
}

import { ResumeError } from '../../src/runtime/resume-error.ts';
import { findRunWorktree } from '../../src/workspace/find-run-worktree.ts';
import type { RepositoryInfo } from '../../src/workspace/inspect-repository.ts';
import type { RunWorktree } from '../../src/workspace/run-worktree.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';
import type { RepoStateValue } from './repo-state.ts';

/**
 * A resumed repo run continues in the worktree the killed run made, as its last checkpoint left it: on the run's
 * branch, HEAD at its last commit (or the base), and changes only in the files the run had written. Anything else
 * means the worktree was changed by hand since, and the resume is refused, naming what changed.
 */
export async function resumeRepoWorktree(
  repo: RepositoryInfo,
  runId: string,
  trajectoryPath: string,
  saved: Partial<RepoStateValue> | undefined,
  base: string,
): Promise<RunWorktree> {
  const found = await findRunWorktree(repo, runId);
  const refuse = (detail: string) =>
    new ResumeError(trajectoryPath, `the run's worktree ${found.dir} ${detail}; it cannot be resumed`);
  if (!found.worktreeExists) throw refuse('is gone (removed by hand or by refinery undo)');
  const expectedBranch = saved?.workspace?.branch;
  if (expectedBranch !== undefined && found.branch !== expectedBranch)
    throw refuse(`is on branch ${found.branch}, not the run's ${expectedBranch}: it was changed by hand`);
  const git = workspaceGit(found.dir);
  const head = (await git.revparse(['HEAD'])).trim();
  const expectedHead = saved?.commits?.at(-1)?.sha ?? base;
  if (head !== expectedHead)
    throw refuse(
      `has HEAD ${head.slice(0, 12)}, where the run left ${expectedHead.slice(0, 12)}: it was changed by hand (git -C ${found.dir} log)`,
    );
  const written = new Set(saved?.changedFiles ?? []);
  const status = await git.raw(['status', '--porcelain', '--untracked-files=all', '-z']);
  const changed = status
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
  const byHand = changed.filter((path) => !written.has(path));
  if (byHand.length > 0)
    throw refuse(
      `has changes the run did not make (${byHand.slice(0, 5).join(', ')}${byHand.length > 5 ? ', ...' : ''}): it was changed by hand (git -C ${found.dir} status)`,
    );
  return { dir: found.dir, branch: found.branch, base };
}

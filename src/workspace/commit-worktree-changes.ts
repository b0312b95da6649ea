import { WorkspaceError } from './workspace-error.ts';
import { workspaceGit } from './workspace-git.ts';

export interface WorktreeCommit {
  sha: string;
  tree: string;
}

/**
 * Stages exactly `paths` (the files the agents wrote; test byproducts are left out) and commits them
 * with Refinery's identity and the given time, so the same edits on the same parent give the same commit.
 * Returns null when the paths hold no change.
 */
export async function commitWorktreeChanges(
  dir: string,
  options: { paths: string[]; message: string; unixSeconds: number },
): Promise<WorktreeCommit | null> {
  if (options.paths.length === 0) return null;
  const git = workspaceGit(dir, { unixSeconds: options.unixSeconds });
  try {
    await git.raw(['add', '-A', '--', ...options.paths]);
    const staged = (await git.raw(['diff', '--cached', '--name-only'])).trim();
    if (staged === '') return null;
    await git.raw(['commit', '--quiet', '--no-verify', '--cleanup=verbatim', '-m', options.message]);
    const sha = (await git.raw(['rev-parse', 'HEAD'])).trim();
    const tree = (await git.raw(['rev-parse', 'HEAD^{tree}'])).trim();
    return { sha, tree };
  } catch (error) {
    throw new WorkspaceError('git commit', dir, (error as Error).message.trim());
  }
}

import { workspaceGit } from './workspace-git.ts';

/**
 * Diff of `paths` in the run's worktree against `base`, new files included. Stages the paths in the
 * worktree's own index (never the user's).
 */
export async function stagedDiff(dir: string, base: string, paths: string[], maxBytes: number): Promise<string> {
  if (paths.length === 0) return '';
  const git = workspaceGit(dir);
  await git.raw(['add', '-A', '--', ...paths]);
  const diff = await git.raw(['diff', '--cached', '--no-color', '--no-ext-diff', base, '--', ...paths]);
  return diff.length > maxBytes ? `${diff.slice(0, maxBytes)}\n[... diff cut ...]\n` : diff;
}

import { workspaceGit } from './workspace-git.ts';

export interface DiffSummary {
  files: Array<{ path: string; added: number; deleted: number }>;
  added: number;
  deleted: number;
  /** `git diff --stat base..head` as git prints it. */
  stat: string;
}

export async function diffSummary(dir: string, base: string, head: string): Promise<DiffSummary> {
  const git = workspaceGit(dir);
  const numstat = await git.raw(['diff', '--numstat', '--no-renames', `${base}..${head}`]);
  const stat = (await git.raw(['diff', '--stat', '--no-renames', `${base}..${head}`])).replace(/\s+$/, '');
  const files = numstat
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [added = '0', deleted = '0', ...path] = line.split('\t');
      // Binary files show '-' for both counts.
      return { path: path.join('\t'), added: Number(added) || 0, deleted: Number(deleted) || 0 };
    });
  return {
    files,
    added: files.reduce((n, f) => n + f.added, 0),
    deleted: files.reduce((n, f) => n + f.deleted, 0),
    stat,
  };
}

import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { TaskError } from '../runtime/task-error.ts';
import { workspaceGit } from './workspace-git.ts';

export interface RepositoryInfo {
  /** Top level of the user's working tree. */
  root: string;
  /** The repository's common git directory (shared by all its worktrees). */
  commonDir: string;
  /** Commit HEAD points at. */
  head: string;
}

/** Checks `path` is inside a non-bare git repository with at least one commit. Bad input throws TaskError (exit 2). */
export async function inspectRepository(path: string, flag = '--repo'): Promise<RepositoryInfo> {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new TaskError(flag, path, 'no such directory');
  }
  const git = workspaceGit(path);
  let root: string;
  try {
    root = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    if (!/not a git repository|must be run in a work tree/i.test((error as Error).message)) throw error;
    throw new TaskError(flag, path, 'not a git repository (or a bare one, which has no working tree)');
  }
  if (root === '') throw new TaskError(flag, path, 'not a git repository with a working tree');
  let head: string;
  try {
    head = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
  } catch {
    head = '';
  }
  if (head === '') throw new TaskError(flag, path, 'the repository has no commits yet; commit something first');
  const rawCommonDir = (await git.raw(['rev-parse', '--git-common-dir'])).trim();
  const commonDir = isAbsolute(rawCommonDir) ? rawCommonDir : resolve(path, rawCommonDir);
  return { root, commonDir, head };
}

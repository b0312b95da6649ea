import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TaskError } from '../runtime/task-error.ts';
import { workspaceGit } from './workspace-git.ts';

/**
 * Clones a git bundle (`git bundle create`) into a new directory under the system's temporary directory and
 * returns the clone's path. The clone is left in place (a run's worktree and branch live in it). A file that is
 * not a bundle is bad input, named by `flag`.
 */
export async function cloneBundle(bundle: string, flag: string): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), 'refinery-bundle-'));
  const dir = join(parent, basename(bundle).replace(/\.bundle$/, '') || 'repo');
  try {
    await workspaceGit(parent).raw(['clone', '--quiet', bundle, dir]);
  } catch (error) {
    throw new TaskError(flag, bundle, `cannot clone this git bundle: ${(error as Error).message.trim()}`);
  }
  return dir;
}

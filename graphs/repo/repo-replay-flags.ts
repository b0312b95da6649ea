import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { TaskError } from '../../src/runtime/task-error.ts';
import { cloneBundle } from '../../src/workspace/clone-bundle.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';
import { type RepoTask, repoTaskSchema } from './repo-task.ts';

/** `refinery replay TRAJECTORY` flags of a repo run: `refinery replay TRAJECTORY --help` lists them. */
export const repoReplayFlagsSchema = z.object({
  repo: z
    .string()
    .min(1)
    .optional()
    .meta({
      placeholder: 'PATH',
      description:
        'replay in this repository instead of the recorded task.repo: a directory inside a git repository that ' +
        'has the recorded base commit, or a git bundle file (*.bundle), cloned first into a new temporary directory',
    }),
});

export type RepoReplayFlags = z.output<typeof repoReplayFlagsSchema>;

/** The recorded task, pointed at `--repo` when given (a clone of it when it is a bundle file). */
export async function repoReplayTask(recorded: RepoTask, flags: RepoReplayFlags, cwd: string): Promise<RepoTask> {
  if (flags.repo === undefined) return recorded;
  const path = resolve(cwd, flags.repo);
  const isFile = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  const dir = isFile ? await cloneBundle(path, '--repo') : path;
  // Checked here so that a bad path is named as the flag, not as the recorded task.
  const repo = await inspectRepository(dir, '--repo');
  try {
    await workspaceGit(repo.root).raw(['cat-file', '-e', `${recorded.base}^{commit}`]);
  } catch {
    throw new TaskError('--repo', dir, `has no commit ${recorded.base} (the recorded base)`);
  }
  return repoTaskSchema.parse({ ...recorded, repo: repo.root });
}

import { Command, Option } from 'commander';
import { TaskError } from '../../runtime/task-error.ts';
import { branchExists } from '../../workspace/branch-names.ts';
import { findRunWorktree } from '../../workspace/find-run-worktree.ts';
import { inspectRepository } from '../../workspace/inspect-repository.ts';
import { removeRunWorktree } from '../../workspace/remove-run-worktree.ts';
import { workspaceGit } from '../../workspace/workspace-git.ts';
import { type CliContext, createCliContext, setAction } from '../cli-context.ts';
import { runSubcommand } from '../run-command-line.ts';

/**
 * `refinery undo RUN_ID [--repo PATH]`: removes the worktree a repo run made and deletes its branch
 * (`refinery/<RUN_ID>`, or whatever branch that worktree is on, e.g. a replay's). The user's tree is not touched.
 */
export function undoCommand(ctx: CliContext): Command {
  const command = new Command('undo')
    .summary("remove a repo run's worktree and branch")
    .description("Remove the worktree a repo run made and delete its branch; the user's working tree is not touched.")
    .argument('<RUN_ID>', 'the run id (the trajectory file name, without .jsonl)')
    .addOption(new Option('--repo <PATH>', 'the repository the run worked on (default: the current directory)'));
  return setAction(command, ctx, async (runId: string, flags: { repo?: string }) => {
    if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.startsWith('.'))
      throw new TaskError('refinery undo', runId, 'not a run id');
    const repo = await inspectRepository(flags.repo ?? process.cwd());
    const found = await findRunWorktree(repo, runId);
    if (!found.worktreeExists && !(await branchExists(workspaceGit(repo.root), found.branch))) {
      throw new TaskError(
        'refinery undo',
        runId,
        `no worktree ${found.dir} and no branch ${found.branch} in ${repo.root}`,
      );
    }
    const removed = await removeRunWorktree(repo, found);
    const parts = [
      removed.worktreeRemoved ? `removed worktree ${found.dir}` : 'no worktree to remove',
      removed.branchDeleted ? `deleted branch ${found.branch}` : `no branch ${found.branch}`,
    ];
    ctx.stdout.write(`${parts.join('; ')}\n`);
    return 0;
  });
}

/** `refinery undo` on its own (the arguments after `undo`). */
export async function runUndoCommand(argv: string[]): Promise<number> {
  const ctx = createCliContext();
  return runSubcommand(undoCommand(ctx), argv, ctx);
}

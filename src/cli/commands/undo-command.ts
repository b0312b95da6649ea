import { parseArgs } from 'node:util';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';
import { TaskError } from '../../runtime/task-error.ts';
import { branchExists } from '../../workspace/branch-names.ts';
import { findRunWorktree } from '../../workspace/find-run-worktree.ts';
import { inspectRepository } from '../../workspace/inspect-repository.ts';
import { removeRunWorktree } from '../../workspace/remove-run-worktree.ts';
import { workspaceGit } from '../../workspace/workspace-git.ts';

const USAGE = 'usage: refinery undo RUN_ID [--repo PATH]   (PATH defaults to the current directory)';

/**
 * `refinery undo RUN_ID [--repo PATH]`: removes the worktree a repo run made and deletes its branch
 * (`refinery/<RUN_ID>`, or whatever branch that worktree is on, e.g. a replay's). The user's tree is not touched.
 */
export async function runUndoCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { repo: { type: 'string' } } });
    const runId = positionals[0];
    if (!runId || positionals.length > 1) throw new TaskError('refinery undo', 'RUN_ID', USAGE);
    if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.startsWith('.')) throw new TaskError('refinery undo', runId, 'not a run id');
    const repo = await inspectRepository(values.repo ?? process.cwd());
    const found = await findRunWorktree(repo, runId);
    if (!found.worktreeExists && !(await branchExists(workspaceGit(repo.root), found.branch))) {
      throw new TaskError('refinery undo', runId, `no worktree ${found.dir} and no branch ${found.branch} in ${repo.root}`);
    }
    const removed = await removeRunWorktree(repo, found);
    const parts = [
      removed.worktreeRemoved ? `removed worktree ${found.dir}` : 'no worktree to remove',
      removed.branchDeleted ? `deleted branch ${found.branch}` : `no branch ${found.branch}`,
    ];
    process.stdout.write(`${parts.join('; ')}\n`);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof TaskError || (code && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${(error as Error).message}\n`);
      return BAD_INPUT_EXIT_CODE;
    }
    throw error;
  }
}

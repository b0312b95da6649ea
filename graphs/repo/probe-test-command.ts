import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TaskError } from '../../src/runtime/task-error.ts';
import { worktreeDirFor } from '../../src/workspace/create-run-worktree.ts';
import type { RepositoryInfo } from '../../src/workspace/inspect-repository.ts';
import { removeRunWorktree } from '../../src/workspace/remove-run-worktree.ts';
import { runTestCommand } from '../../src/workspace/run-test-command.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';

/**
 * Runs the test command once in a throwaway detached worktree of HEAD, so a command that cannot start
 * (not found, not executable) is reported as bad input before any model call. The worktree is removed
 * whatever happens; no branch is made.
 */
export async function probeTestCommand(repo: RepositoryInfo, testCmd: string, timeoutSec: number): Promise<void> {
  const dir = worktreeDirFor(repo.commonDir, `.probe-${randomBytes(4).toString('hex')}`);
  mkdirSync(dirname(dir), { recursive: true });
  const git = workspaceGit(repo.root);
  await git.raw(['worktree', 'add', '--quiet', '--detach', dir, repo.head]);
  try {
    const result = await runTestCommand(testCmd, {
      workdir: dir,
      sandbox: 'auto',
      timeoutMs: timeoutSec * 1000,
      maxOutputBytes: 4096,
    });
    if (result.failedToStart) {
      const tail = result.output.trim().split('\n').slice(-3).join('\n');
      throw new TaskError(
        '--test-cmd',
        testCmd,
        `the test command cannot start (exit ${result.exitCode ?? 'none'}): ${tail}`,
      );
    }
  } finally {
    await removeRunWorktree(repo, { dir, branch: '' });
  }
}

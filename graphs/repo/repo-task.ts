import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { TaskError } from '../../src/runtime/task-error.ts';
import { probeTestCommand } from './probe-test-command.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { branchExists, isValidBranchName } from '../../src/workspace/branch-names.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';

export const repoTaskSchema = z
  .object({
    /** Absolute path of the repository's top level. */
    repo: z.string().min(1),
    /** The commit the run's branch starts from (the repository's HEAD when the run started). */
    base: z.string().regex(/^[0-9a-f]{40,64}$/),
    task: z.string().min(1),
    testCmd: z.string().min(1),
    /** Branch to create; default `refinery/<run-id>`. */
    branch: z.string().min(1).optional(),
    testTimeoutSec: z.number().positive().default(300),
  })
  .strict();

export type RepoTask = z.infer<typeof repoTaskSchema>;

const KNOWN_FLAGS = ['repo', 'task', 'test-cmd', 'branch', 'test-timeout'];

/**
 * Builds and checks the task from `refinery run configs/repo.yaml --repo PATH --task TEXT|@FILE
 * --test-cmd CMD [--branch NAME] [--test-timeout SEC]`. Every bad input throws a TaskError (exit 2)
 * before any model call, and leaves the repository as it was.
 */
export async function repoTaskFromFlags(flags: Record<string, string>, cwd: string = process.cwd()): Promise<RepoTask> {
  for (const name of Object.keys(flags)) {
    if (!KNOWN_FLAGS.includes(name)) throw new TaskError('refinery run', `--${name}`, `unknown flag for the repo pipeline (known: ${KNOWN_FLAGS.map((f) => `--${f}`).join(', ')})`);
  }
  const repoFlag = flags.repo;
  if (!repoFlag) throw new TaskError('refinery run', '--repo', 'the repo pipeline needs --repo PATH (a git repository)');
  const taskFlag = flags.task;
  if (!taskFlag) throw new TaskError('refinery run', '--task', 'the repo pipeline needs --task TEXT or --task @FILE');
  const testCmd = flags['test-cmd']?.trim();
  if (!testCmd) throw new TaskError('refinery run', '--test-cmd', 'the repo pipeline needs --test-cmd CMD (the command that runs the tests)');
  let testTimeoutSec = 300;
  if (flags['test-timeout'] !== undefined) {
    testTimeoutSec = Number(flags['test-timeout']);
    if (!Number.isFinite(testTimeoutSec) || testTimeoutSec <= 0) throw new TaskError('--test-timeout', flags['test-timeout'], 'must be a positive number of seconds');
  }

  const task = readTaskText(taskFlag, cwd);
  const repo = await inspectRepository(resolve(cwd, repoFlag));
  const branch = flags.branch;
  if (branch !== undefined) {
    const git = workspaceGit(repo.root);
    if (!(await isValidBranchName(git, branch))) throw new TaskError('--branch', branch, 'not a valid git branch name');
    if (await branchExists(git, branch)) throw new TaskError('--branch', branch, `branch already exists in ${repo.root}`);
  }
  await probeTestCommand(repo, testCmd, testTimeoutSec);
  return repoTaskSchema.parse({ repo: repo.root, base: repo.head, task, testCmd, ...(branch ? { branch } : {}), testTimeoutSec });
}

function readTaskText(flag: string, cwd: string): string {
  if (!flag.startsWith('@')) return flag.trim();
  const path = resolve(cwd, flag.slice(1));
  if (!existsSync(path) || !statSync(path).isFile()) throw new TaskError('--task', path, 'task file does not exist');
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') throw new TaskError('--task', path, 'task file is empty');
  return text;
}

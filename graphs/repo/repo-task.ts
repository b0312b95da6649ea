import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { TaskError } from '../../src/runtime/task-error.ts';
import { branchExists, isValidBranchName } from '../../src/workspace/branch-names.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { workspaceGit } from '../../src/workspace/workspace-git.ts';
import { probeTestCommand } from './probe-test-command.ts';

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

/** `refinery run configs/repo.yaml` flags: the CLI registers them, and `refinery run CONFIG --help` lists them. */
export const repoRunFlagsSchema = z.object({
  repo: z
    .string()
    .min(1)
    .meta({ placeholder: 'PATH', description: 'the git repository to work on (any directory inside it)' }),
  task: z
    .string()
    .trim()
    .min(1)
    .meta({ placeholder: 'TEXT|@FILE', description: 'what to do: the text itself, or @FILE to read it from a file' }),
  testCmd: z
    .string()
    .trim()
    .min(1)
    .meta({ placeholder: 'CMD', description: 'the command that runs the tests (run with /bin/sh -c in the worktree)' }),
  branch: z
    .string()
    .min(1)
    .optional()
    .meta({ placeholder: 'NAME', description: 'the branch to create (default: refinery/<run-id>)' }),
  testTimeout: z
    .number()
    .positive()
    .default(300)
    .meta({ placeholder: 'SEC', description: 'wall-clock limit of one test run, in seconds' }),
});

export type RepoRunFlags = z.output<typeof repoRunFlagsSchema>;

/**
 * Builds and checks the task from `refinery run configs/repo.yaml --repo PATH --task TEXT|@FILE
 * --test-cmd CMD [--branch NAME] [--test-timeout SEC]` (values already checked by `repoRunFlagsSchema`).
 * Every bad input throws a TaskError (exit 2) before any model call, and leaves the repository as it was.
 */
export async function repoTaskFromFlags(flags: RepoRunFlags, cwd: string = process.cwd()): Promise<RepoTask> {
  const { task: taskFlag, testCmd, testTimeout: testTimeoutSec } = flags;
  const task = readTaskText(taskFlag, cwd);
  const repo = await inspectRepository(resolve(cwd, flags.repo));
  const branch = flags.branch;
  if (branch !== undefined) {
    const git = workspaceGit(repo.root);
    if (!(await isValidBranchName(git, branch))) throw new TaskError('--branch', branch, 'not a valid git branch name');
    if (await branchExists(git, branch))
      throw new TaskError('--branch', branch, `branch already exists in ${repo.root}`);
  }
  await probeTestCommand(repo, testCmd, testTimeoutSec);
  return repoTaskSchema.parse({
    repo: repo.root,
    base: repo.head,
    task,
    testCmd,
    ...(branch ? { branch } : {}),
    testTimeoutSec,
  });
}

function readTaskText(flag: string, cwd: string): string {
  if (!flag.startsWith('@')) return flag.trim();
  const path = resolve(cwd, flag.slice(1));
  if (!existsSync(path) || !statSync(path).isFile()) throw new TaskError('--task', path, 'task file does not exist');
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') throw new TaskError('--task', path, 'task file is empty');
  return text;
}

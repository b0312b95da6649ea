import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RepoRunResult } from '../../../graphs/repo/repo-pipeline.ts';
import { repoRunFlagsSchema, repoTaskFromFlags } from '../../../graphs/repo/repo-task.ts';
import { parsePipelineFlags } from '../../../src/runtime/pipeline-flags.ts';
import { TaskError } from '../../../src/runtime/task-error.ts';
import { startOpenAiWireServer } from '../../../src/testing/wire-servers/openai-wire-server.ts';
import {
  buildPythonFixtureRepo,
  git,
  makeUserTreeDirty,
  PYTHON_TEST_CMD,
  snapshotUserTree,
} from '../../support/fixture-repos.ts';
import { shippedRefinery } from '../../support/shipped-refinery.ts';
import { agentOf } from './support/repo-fixtures.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
let root: string;
let repo: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'refinery-input-'));
  repo = join(root, 'pkg');
  buildPythonFixtureRepo(repo);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The repo flags as `refinery run` checks them (the pipeline's runFlags schema), with some replaced or left out. */
const flags = (over: Record<string, string | undefined>) =>
  parsePipelineFlags(repoRunFlagsSchema, { repo, task: 'fix mean', testCmd: PYTHON_TEST_CMD, ...over }, 'refinery run');
/** The task the flags make, or the TaskError either step throws. */
const taskFrom = async (over: Record<string, string | undefined>) => repoTaskFromFlags(flags(over), root);

async function expectBadInput(over: Record<string, string | undefined>, message: RegExp): Promise<void> {
  const touched = makeUserTreeDirty(repo, { unstaged: 'stats/core.py', staged: 'README.md' });
  const before = snapshotUserTree(repo, touched);
  const refsBefore = git(repo, ['for-each-ref', '--format=%(refname) %(objectname)']);
  const error = await taskFrom(over).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskError);
  expect((error as Error).message).toMatch(message);
  expect(snapshotUserTree(repo, touched)).toEqual(before);
  expect(git(repo, ['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(refsBefore);
  expect(git(repo, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)).toHaveLength(1);
  expect(existsSync(join(repo, '.git', 'refinery-worktrees'))).toBe(false);
}

describe('repo task flags: bad input is a TaskError (exit 2) and changes nothing', () => {
  it('a path that is not a git repository', async () => {
    mkdirSync(join(root, 'plain'));
    await expect(taskFrom({ repo: join(root, 'plain') })).rejects.toThrow(/--repo: .*not a git repository/);
  });

  it('a repository with no commits', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    git(empty, ['init', '--quiet']);
    await expect(taskFrom({ repo: empty })).rejects.toThrow(/no commits/);
    expect(readdirSync(join(empty, '.git')).includes('refinery-worktrees')).toBe(false);
  });

  it('a missing test command', async () => {
    await expectBadInput({ testCmd: undefined }, /refinery run: --test-cmd: required/);
  });

  it('a test command that cannot start', async () => {
    await expectBadInput(
      { testCmd: 'no-such-runner-xyz discover' },
      /--test-cmd: no-such-runner-xyz discover: the test command cannot start \(exit 127\)/,
    );
  });

  it('a branch name already taken', async () => {
    git(repo, ['branch', 'refinery/taken']);
    await expectBadInput({ branch: 'refinery/taken' }, /--branch: refinery\/taken: branch already exists/);
  });

  it('a task file that does not exist', async () => {
    await expectBadInput({ task: '@missing-task.md' }, /--task: .*missing-task\.md: task file does not exist/);
  });

  it('accepts good flags, reading @FILE relative to the working directory and recording HEAD as the base', async () => {
    writeFileSync(join(root, 'task.md'), '  Fix mean.\n');
    const task = await taskFrom({ task: '@task.md', branch: 'fix/mean' });
    expect(task).toEqual({
      repo,
      base: git(repo, ['rev-parse', 'HEAD']).trim(),
      task: 'Fix mean.',
      testCmd: PYTHON_TEST_CMD,
      branch: 'fix/mean',
      testTimeoutSec: 300,
    });
    expect(existsSync(join(repo, '.git', 'refinery-worktrees'))).toBe(false);
  });
});

describe('a failing run', () => {
  it('commits nothing for iterations whose tests fail, and reports the branch', async () => {
    const coderReply =
      'stats/core.py\n<<<<<<< SEARCH\n    return sum(values) / (len(values) - 1)\n=======\n    return sum(values) / (len(values) - 2)\n>>>>>>> REPLACE\n';
    const server = await startOpenAiWireServer({
      respond: (body: { messages: Array<{ role: string; content: string }> }) => {
        const agent = agentOf(body.messages);
        return {
          text:
            agent === 'coder'
              ? coderReply
              : agent === 'tester'
                ? 'NO NEW TESTS'
                : agent === 'planner'
                  ? 'PLAN:\n1. fix\n'
                  : 'still wrong',
        };
      },
    });
    try {
      const result = await shippedRefinery.run({
        configPath: 'configs/repo.yaml',
        cwd: PROJECT_ROOT,
        set: [
          'models.default.provider=openai-compatible',
          `models.default.baseUrl=${server.baseUrl}`,
          'models.default.apiKey=k',
          'options.maxIterations=2',
        ],
        taskFlags: { repo, task: 'fix mean', testCmd: PYTHON_TEST_CMD },
        trajectoryPath: null,
      });
      expect(result.status).toBe('failed');
      const run = result.result as RepoRunResult;
      expect(run.commits).toEqual([]);
      expect(run.iterations).toBe(2);
      expect(git(repo, ['rev-parse', run.branch]).trim()).toBe(git(repo, ['rev-parse', 'HEAD']).trim());
      expect(result.summary).toContain(`branch ${run.branch}: no commit after 2 iteration(s)`);
    } finally {
      await server.stop();
    }
  });
});

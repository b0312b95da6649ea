import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskError } from '../../src/runtime/task-error.ts';
import { commitWorktreeChanges } from '../../src/workspace/commit-worktree-changes.ts';
import { createRunWorktree } from '../../src/workspace/create-run-worktree.ts';
import { diffSummary } from '../../src/workspace/diff-summary.ts';
import { findRunWorktree } from '../../src/workspace/find-run-worktree.ts';
import { inspectRepository } from '../../src/workspace/inspect-repository.ts';
import { removeRunWorktree } from '../../src/workspace/remove-run-worktree.ts';
import { buildPythonFixtureRepo, git, makeUserTreeDirty, snapshotUserTree } from '../support/fixture-repos.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'refinery-ws-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('inspectRepository', () => {
  it('rejects a missing directory, a plain directory and a repository without commits, as bad input', async () => {
    mkdirSync(join(root, 'plain'));
    mkdirSync(join(root, 'empty'));
    git(join(root, 'empty'), ['init', '--quiet']);
    await expect(inspectRepository(join(root, 'missing'))).rejects.toThrow(/no such directory/);
    await expect(inspectRepository(join(root, 'plain'))).rejects.toThrow(/not a git repository/);
    await expect(inspectRepository(join(root, 'empty'))).rejects.toThrow(/no commits/);
    await expect(inspectRepository(join(root, 'empty'))).rejects.toBeInstanceOf(TaskError);
  });

  it('finds the top level and HEAD from a subdirectory', async () => {
    const repo = join(root, 'pkg');
    const head = buildPythonFixtureRepo(repo);
    const info = await inspectRepository(join(repo, 'stats'));
    expect(info.root).toBe(repo);
    expect(info.head).toBe(head);
    expect(info.commonDir).toBe(join(repo, '.git'));
  });
});

describe('run worktree', () => {
  it('branches, commits and undoes without touching the user tree, index, stash or branch', async () => {
    const repo = join(root, 'pkg');
    const base = buildPythonFixtureRepo(repo);
    const touched = makeUserTreeDirty(repo, { unstaged: 'stats/core.py', staged: 'README.md' });
    const before = snapshotUserTree(repo, touched);
    const info = await inspectRepository(repo);

    const worktree = await createRunWorktree(info, { runId: 'run-1', branch: 'refinery/run-1', base: info.head });
    expect(worktree.dir).toBe(join(repo, '.git', 'refinery-worktrees', 'run-1'));
    // The worktree holds the committed file, not the user's uncommitted edit.
    expect(readFileSync(join(worktree.dir, 'stats/core.py'), 'utf8')).not.toContain('work in progress');
    writeFileSync(
      join(worktree.dir, 'stats/core.py'),
      readFileSync(join(worktree.dir, 'stats/core.py'), 'utf8').replace('(len(values) - 1)', 'len(values)'),
    );
    writeFileSync(join(worktree.dir, 'scratch.log'), 'test byproduct\n');
    const commit = await commitWorktreeChanges(worktree.dir, {
      paths: ['stats/core.py'],
      message: 'refinery: fix mean\n\nRun: run-1\n',
      unixSeconds: 1_750_000_000,
    });
    expect(commit).not.toBeNull();
    expect(git(repo, ['rev-parse', 'refinery/run-1']).trim()).toBe(commit!.sha);
    expect(git(repo, ['rev-parse', 'refinery/run-1^']).trim()).toBe(base);
    expect(git(repo, ['log', '-1', '--format=%an <%ae> %at %ct', 'refinery/run-1']).trim()).toBe(
      'Refinery <refinery@localhost> 1750000000 1750000000',
    );
    // Only the named path is committed; the byproduct stays out.
    expect(git(repo, ['show', '--name-only', '--format=', 'refinery/run-1']).trim()).toBe('stats/core.py');

    const summary = await diffSummary(worktree.dir, base, commit!.sha);
    expect(summary.files).toEqual([{ path: 'stats/core.py', added: 1, deleted: 1 }]);
    expect(summary.stat).toContain('1 file changed, 1 insertion(+), 1 deletion(-)');

    expect(snapshotUserTree(repo, touched)).toEqual(before);

    const found = await findRunWorktree(info, 'run-1');
    expect(found).toEqual({ dir: worktree.dir, branch: 'refinery/run-1', worktreeExists: true });
    const removed = await removeRunWorktree(info, found);
    expect(removed).toEqual({ worktreeRemoved: true, branchDeleted: true });
    expect(existsSync(worktree.dir)).toBe(false);
    expect(existsSync(join(repo, '.git', 'refinery-worktrees'))).toBe(false);
    expect(git(repo, ['branch', '--list', 'refinery/*']).trim()).toBe('');
    expect(snapshotUserTree(repo, touched)).toEqual(before);
  });

  it('gives the same commit id for the same edit, parent, message and time', async () => {
    const repo = join(root, 'pkg');
    buildPythonFixtureRepo(repo);
    const info = await inspectRepository(repo);
    const shas: string[] = [];
    for (const runId of ['a', 'b']) {
      const worktree = await createRunWorktree(info, { runId, branch: `refinery/${runId}`, base: info.head });
      writeFileSync(join(worktree.dir, 'NEW.md'), 'same\n');
      const commit = await commitWorktreeChanges(worktree.dir, {
        paths: ['NEW.md'],
        message: 'same\n',
        unixSeconds: 1_700_000_000,
      });
      shas.push(commit!.sha);
    }
    expect(shas[0]).toBe(shas[1]);
  });

  it('refuses a branch name that is taken or invalid, and commits nothing when the paths hold no change', async () => {
    const repo = join(root, 'pkg');
    buildPythonFixtureRepo(repo);
    git(repo, ['branch', 'taken']);
    const info = await inspectRepository(repo);
    await expect(createRunWorktree(info, { runId: 'x', branch: 'taken', base: info.head })).rejects.toThrow(
      /already exists/,
    );
    await expect(createRunWorktree(info, { runId: 'x', branch: 'bad..name', base: info.head })).rejects.toThrow(
      /not a valid/,
    );
    expect(existsSync(join(repo, '.git', 'refinery-worktrees', 'x'))).toBe(false);
    const worktree = await createRunWorktree(info, { runId: 'y', branch: 'refinery/y', base: info.head });
    expect(
      await commitWorktreeChanges(worktree.dir, { paths: ['README.md'], message: 'm\n', unixSeconds: 1 }),
    ).toBeNull();
    expect(git(repo, ['rev-parse', 'refinery/y']).trim()).toBe(info.head);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RepoRunResult } from '../../../graphs/repo/repo-pipeline.ts';
import { runUndoCommand } from '../../../src/cli/commands/undo-command.ts';
import { runTestCommand } from '../../../src/workspace/run-test-command.ts';
import { git, makeUserTreeDirty, snapshotUserTree } from '../../support/fixture-repos.ts';
import { shippedRefinery } from '../../support/shipped-refinery.ts';
import { JAVASCRIPT_FIXTURE, PYTHON_FIXTURE, type RepoFixture } from './support/repo-fixtures.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'refinery-replay-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

interface RecordedCommit {
  sha: string;
  tree: string;
}

/** The fixture trajectory with its task pointed at a freshly built copy of the fixture repository. */
function trajectoryFor(fixture: RepoFixture, repo: string): { path: string; commits: RecordedCommit[]; base: string } {
  const lines = readFileSync(join(PROJECT_ROOT, 'fixtures/repo', `${fixture.name}.jsonl`), 'utf8')
    .trimEnd()
    .split('\n');
  const header = JSON.parse(lines[0]!);
  header.task.repo = repo;
  // Workaround for src/runtime/run-pipeline.ts prepareReplay: it resolves prompt files against
  // dirname(configPath) (configs/), while live runs resolve them against the project root. A configPath
  // whose directory is the project root makes the replay read the same prompt files the recording used.
  header.configPath = 'repo.yaml';
  const commits = lines
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === 'note' && e.node === 'commit' && e.data?.commit)
    .map((e) => e.data.commit as RecordedCommit);
  const path = join(root, `${fixture.name}.jsonl`);
  writeFileSync(path, `${[JSON.stringify(header), ...lines.slice(1)].join('\n')}\n`);
  return { path, commits, base: header.task.base };
}

async function replayFixture(fixture: RepoFixture, exec: 'live' | 'recorded') {
  const repo = join(root, fixture.name);
  const base = fixture.build(repo);
  const touched = makeUserTreeDirty(repo, fixture.dirty);
  const before = snapshotUserTree(repo, touched);
  const recording = trajectoryFor(fixture, repo);
  // The rebuilt repository has the recorded base commit: the fixture build is deterministic.
  expect(base).toBe(recording.base);
  expect(recording.commits).toHaveLength(1);

  const run = await shippedRefinery.run({
    replay: { trajectoryPath: recording.path, exec, onDivergence: 'stop' },
    trajectoryPath: join(root, 'replay.jsonl'),
    cwd: PROJECT_ROOT,
  });
  expect(run.error?.stack ?? run.status).toBe('passed');
  const result = run.result as RepoRunResult;
  const branch = `refinery/fixture-${fixture.name}-replay-1`;
  expect(result.branch).toBe(branch);

  // Exactly one commit on the branch, on top of the base.
  expect(git(repo, ['rev-list', '--count', `${base}..${branch}`]).trim()).toBe('1');
  expect(git(repo, ['rev-parse', `${branch}^`]).trim()).toBe(base);
  // Same tree byte for byte, and (message and time reused from the recording) the same commit id.
  expect(git(repo, ['rev-parse', `${branch}^{tree}`]).trim()).toBe(recording.commits[0]!.tree);
  expect(git(repo, ['rev-parse', branch]).trim()).toBe(recording.commits[0]!.sha);
  expect(result.treesMatchRecording).toBe(true);
  expect(git(repo, ['diff', '--name-only', base, branch])).toContain(fixture.fixedFile);

  // The committed tree passes its tests: check it out afresh (not the run's worktree) and run them.
  const check = join(root, 'check');
  git(repo, ['worktree', 'add', '--quiet', '--detach', check, branch]);
  const tests = await runTestCommand(fixture.testCmd, { workdir: check, sandbox: 'auto', timeoutMs: 60_000 });
  expect(tests.passed).toBe(true);
  git(repo, ['worktree', 'remove', '--force', check]);

  // The user's dirty tree, index, stash and branch are exactly as they were.
  expect(snapshotUserTree(repo, touched)).toEqual(before);

  // undo removes the worktree and the branch, and still leaves the user's tree alone.
  expect(await runUndoCommand([run.runId, '--repo', repo])).toBe(0);
  expect(git(repo, ['branch', '--list', 'refinery/*']).trim()).toBe('');
  expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain('refinery-worktrees');
  expect(snapshotUserTree(repo, touched)).toEqual(before);
}

describe('repo pipeline replay of recorded fixtures', () => {
  it('recreates the Python fixture branch, rerunning the tests live', async () => {
    await replayFixture(PYTHON_FIXTURE, 'live');
  });

  it('recreates the JavaScript fixture branch from recorded test results', async () => {
    await replayFixture(JAVASCRIPT_FIXTURE, 'recorded');
  });
});

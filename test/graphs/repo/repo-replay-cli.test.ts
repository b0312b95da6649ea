import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git } from '../../support/fixture-repos.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(PROJECT_ROOT, 'bin/refinery.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'refinery-replay-cli-'));
const cleanup: string[] = [scratch];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function refinery(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
}

interface Recording {
  task: { repo: string; base: string };
  commits: { sha: string; tree: string }[];
}

function recording(path: string): Recording {
  const events = readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  return {
    task: events[0].task,
    commits: events.filter((e) => e.type === 'note' && e.node === 'commit' && e.data?.commit).map((e) => e.data.commit),
  };
}

/**
 * The shipped repo trajectories record `task.repo: /tmp/refinery-fixture-repos/...`, which only the fixture tools
 * create; their repositories ship as git bundles with the same commit ids. `refinery replay --repo` points the
 * recorded task at a clone of the bundle, or at the bundle itself (cloned to a temporary directory).
 */
describe('refinery replay --repo: the shipped repo trajectories replay from their bundles', () => {
  it.each([
    ['python-stats', 'a clone of the bundle'],
    ['javascript-slug', 'the bundle file itself'],
  ])('%s, with --repo naming %s, --exec recorded', (name, how) => {
    const bundle = `fixtures/repo/${name}.bundle`;
    const recorded = recording(join(PROJECT_ROOT, `fixtures/repo/${name}.jsonl`));
    let repoFlag = bundle;
    if (how === 'a clone of the bundle') {
      repoFlag = join(scratch, name);
      git(PROJECT_ROOT, ['clone', '--quiet', bundle, repoFlag]);
    }
    const out = join(scratch, `${name}-replay.jsonl`);
    const run = refinery([
      'replay',
      `fixtures/repo/${name}.jsonl`,
      '--exec',
      'recorded',
      '--repo',
      repoFlag,
      '--trajectory',
      out,
      '--quiet',
    ]);
    expect(run.stderr).toContain('status: passed (exit 0)');
    expect(run.status).toBe(0);

    // The replay ran on the repository the flag named, not the recorded path, and says so in its header.
    const replayed = recording(out);
    expect(replayed.task).toEqual({ ...recorded.task, repo: replayed.task.repo });
    expect(replayed.task.repo).not.toBe(recorded.task.repo);
    if (how === 'a clone of the bundle') expect(replayed.task.repo).toBe(repoFlag);
    else {
      expect(replayed.task.repo).toMatch(new RegExp(`^${tmpdir()}/refinery-bundle-[^/]+/${name}$`));
      cleanup.push(dirname(replayed.task.repo));
    }
    // Same commit as recorded, byte for byte, on the replay branch of that repository.
    expect(recorded.commits).toHaveLength(1);
    const branch = `refinery/fixture-${name}-replay-1`;
    expect(git(replayed.task.repo, ['rev-parse', branch]).trim()).toBe(recorded.commits[0]!.sha);
  });

  it('a --repo without the recorded base commit, or that is no repository, exits 2 naming the flag', () => {
    const other = join(scratch, 'other');
    git(PROJECT_ROOT, ['clone', '--quiet', 'fixtures/repo/python-stats.bundle', other]);
    const wrong = refinery([
      'replay',
      'fixtures/repo/javascript-slug.jsonl',
      '--exec',
      'recorded',
      '--repo',
      other,
      '--quiet',
    ]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^--repo: .*other: has no commit [0-9a-f]{40} \(the recorded base\)$/m);
    const missing = refinery([
      'replay',
      'fixtures/repo/javascript-slug.jsonl',
      '--exec',
      'recorded',
      '--repo',
      join(scratch, 'nowhere'),
      '--quiet',
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--repo: ${join(scratch, 'nowhere')}: no such directory`);
    expect(`${wrong.stderr}${missing.stderr}`).not.toMatch(/^\s{4}at /m);
  });
});

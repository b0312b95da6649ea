import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'bin/refinery.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'refinery-bad-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function refinery(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
}

const withoutKeys = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env['OPENAI_API_KEY'];
  delete env['ANTHROPIC_API_KEY'];
  return env;
};

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;
const STACK_LINE = /^\s{4}at /m;

describe('bad input found at run time exits 2 with one message naming what to fix, no stack', () => {
  it('a live run without OPENAI_API_KEY stops before the first node, naming the config file, line and key', () => {
    const trajectory = join(scratch, 'no-key.jsonl');
    const run = refinery(
      ['run', 'configs/refine.yaml', '--task', 'fixtures/tasks/running-max.json', '--trajectory', trajectory],
      withoutKeys(),
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^configs\/base\.yaml:\d+:\d+: models\.default\.apiKey: .*OPENAI_API_KEY/m);
    expect(occurrences(run.stderr, 'has no API key')).toBe(1);
    expect(run.stderr).not.toMatch(STACK_LINE);
    // Known before the first node: nothing ran, so no trajectory was started.
    expect(existsSync(trajectory)).toBe(false);
    expect(run.stderr).not.toContain('node=planner');
  });

  it('a replay whose recorded repository no longer exists names the path and ends the trajectory with invalid-input', () => {
    // The shipped recording, pointed at a repository path that cannot exist (the shipped one may be rebuilt by
    // the repo fixture tools).
    const missingRepo = join(scratch, 'gone', 'python-stats');
    const lines = readFileSync(join(REPO_ROOT, 'fixtures/repo/python-stats.jsonl'), 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as { task: { repo: string } };
    header.task.repo = missingRepo;
    const recording = join(scratch, 'python-stats.jsonl');
    writeFileSync(recording, `${[JSON.stringify(header), ...lines.slice(1)].join('\n')}\n`);

    for (const json of [false, true]) {
      const out = join(scratch, `replay-${json}.jsonl`);
      const run = refinery([
        'replay',
        recording,
        '--exec',
        'recorded',
        '--trajectory',
        out,
        ...(json ? ['--json'] : []),
      ]);
      expect(run.status).toBe(2);
      expect(occurrences(run.stderr, `${missingRepo}: no such directory`)).toBe(1);
      expect(run.stderr).not.toMatch(STACK_LINE);
      const final = JSON.parse(readFileSync(out, 'utf8').trimEnd().split('\n').at(-1)!) as Record<string, unknown>;
      expect(final).toMatchObject({
        type: 'final',
        status: 'invalid-input',
        exitCode: 2,
        error: { name: 'TaskError' },
      });
    }
  });

  it('an unknown replay flag is a usage error (exit 2, no stack)', () => {
    const run = refinery(['replay', 'fixtures/trajectories/refine-running-max.jsonl', '--bogus']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("refinery replay: unknown option '--bogus'");
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

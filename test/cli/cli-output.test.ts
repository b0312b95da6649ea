import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'bin/refinery.mjs');

function refinery(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
}

describe('refinery CLI output modes', () => {
  it('--json prints every trajectory event as one JSON line on stdout, header first and final last', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'refinery-cli-')), 'replay.jsonl');
    const run = refinery(
      'replay',
      'fixtures/trajectories/refine-running-max.jsonl',
      '--exec',
      'recorded',
      '--json',
      '--trajectory',
      out,
    );
    expect(run.status).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; status?: string });
    expect(events[0]?.type).toBe('header');
    expect(events.at(-1)).toMatchObject({ type: 'final', status: 'passed' });
    expect(events.filter((e) => e.type === 'model_call').length).toBeGreaterThan(0);
  });

  it('exits 2 naming the problem for a missing task file and for a bad replay flag', () => {
    const missing = refinery('run', 'configs/refine.yaml', '--task', 'fixtures/tasks/no-such-task.json', '--quiet');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such-task.json');
    const badFlag = refinery('replay', 'fixtures/trajectories/refine-running-max.jsonl', '--exec', 'sometimes');
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toContain(
      "refinery replay: option '--exec <MODE>' argument 'sometimes' is invalid. Allowed choices are live, recorded.",
    );
  });
});

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'bin/refinery.mjs');
const TRAJECTORY = 'fixtures/trajectories/refine-running-max.jsonl';

/** A scratch project holding copies of what a replay reads from disk: configs, prompt files, the recording. */
function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'refinery-divergence-'));
  for (const path of ['package.json', 'configs', 'agents', 'fixtures/tasks', TRAJECTORY])
    cpSync(join(REPO_ROOT, path), join(dir, path), { recursive: true });
  return dir;
}

function replay(cwd: string, ...flags: string[]) {
  return spawnSync(process.execPath, [BIN, 'replay', TRAJECTORY, '--quiet', '--trajectory', 'out.jsonl', ...flags], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('refinery replay after a prompt file was edited', () => {
  it('replays cleanly when nothing changed', () => {
    const run = replay(scratchProject(), '--exec', 'recorded');
    expect(run.stderr).toContain('status: passed');
    expect(run.status).toBe(0);
  });

  it('exits non-zero and shows the step, the node and the diff of the request', () => {
    const dir = scratchProject();
    const prompt = join(dir, 'agents/refine-planner/user.md');
    const original = readFileSync(prompt, 'utf8');
    writeFileSync(prompt, `${original.trimEnd()}\nKeep the plan to three bullet points.\n`);
    const run = replay(dir, '--exec', 'recorded');
    expect(run.status).toBe(20);
    expect(run.stderr).toMatch(/replay diverged: model step 0, node 'planner'/);
    expect(run.stderr).toMatch(/^\+ .*Keep the plan to three bullet points\./m);
    expect(run.stderr).toContain('status: diverged');
  });
});

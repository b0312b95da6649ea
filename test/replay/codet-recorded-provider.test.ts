import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'bin/refinery.mjs');

function refinery(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 });
}

describe('refinery run configs/codet.yaml with the recorded provider', () => {
  it('answers the coder and tester from recorded samples, picks a correct pool, and replays from the recording', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refinery-codet-run-'));
    const rows = readFileSync(join(REPO_ROOT, 'fixtures/codet/tiny-problems.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const testRows = readFileSync(join(REPO_ROOT, 'fixtures/codet/tiny-test-problems.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const task = rows[0];
    const taskFile = join(dir, 'task.json');
    writeFileSync(
      taskFile,
      JSON.stringify({
        taskId: task.task_id,
        prompt: task.prompt,
        entryPoint: task.entry_point,
        testPrompt: testRows.find((t) => t.task_id === task.task_id).prompt,
        groundTruth: { test: task.test },
      }),
    );
    const recorded = join(dir, 'run.jsonl');
    const run = refinery(
      'run',
      'configs/codet.yaml',
      '--task',
      taskFile,
      '--quiet',
      '--trajectory',
      recorded,
      '--set',
      'models.codegen-coder.recording=fixtures/codet/tiny-solutions.jsonl?joinPromptsWith=fixtures/codet/tiny-problems.jsonl',
      '--set',
      'models.codegen-tester.recording=fixtures/codet/tiny-tests.jsonl?joinPromptsWith=fixtures/codet/tiny-test-problems.jsonl',
      '--set',
      'options.samples.solutions=4',
      '--set',
      'options.samples.tests=4',
    );
    expect(run.stderr).toContain('status: passed');
    const calls = readTrajectory(recorded).events.filter((e) => e.type === 'model_call');
    expect(calls.map((c) => c.request.agent).sort()).toContain('coder');
    expect(calls.every((c) => c.reply.costUsd === 0)).toBe(true);

    const replayed = join(dir, 'replay.jsonl');
    const replay = refinery('replay', recorded, '--exec', 'recorded', '--quiet', '--trajectory', replayed);
    expect(replay.status).toBe(0);
    const final = (path: string) => readTrajectory(path).events.at(-1);
    expect(final(replayed)).toMatchObject({ type: 'final', status: 'passed' });
    expect((final(replayed) as { result: unknown }).result).toEqual((final(recorded) as { result: unknown }).result);
  });
});

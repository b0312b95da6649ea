import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResultRow } from '../../src/batch/batch-results.ts';
import { runBatch } from '../../src/batch/run-batch.ts';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { type LoopbackModel, REPO_ROOT, spawnRefinery, startLoopbackModel } from '../support/loopback-model.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

const dir = mkdtempSync(join(tmpdir(), 'refinery-batch-'));
const executor = createExecutor({ sandbox: 'auto', onWarning: () => {} });
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks', `${name}.json`), 'utf8'));

/**
 * Five refine tasks, one a line: three copies of running-max (they pass on the second attempt), merge-intervals
 * (the scripted replies never solve it: exhausted after 2 iterations), and on line 3 one without its entryPoint.
 */
function writeTasks(): string {
  const runningMax = fixture('running-max');
  const { entryPoint: _dropped, ...bad } = { ...runningMax, id: 'no-entry-point' };
  const tasks = [
    { ...runningMax, id: 'max-a' },
    { ...runningMax, id: 'max-b' },
    bad,
    fixture('merge-intervals'),
    { ...runningMax, id: 'max-c' },
  ];
  const path = join(dir, 'tasks.jsonl');
  writeFileSync(path, tasks.map((t) => JSON.stringify(t)).join('\n'));
  return path;
}

/** A results table without what differs between two runs of the same batch: wall times. */
function table(rows: BatchResultRow[]): unknown[] {
  return rows.map((row) => ({ ...row, totals: row.totals ? { ...row.totals, wallMs: 0 } : null }));
}

let model: LoopbackModel;
let tasksPath: string;
beforeAll(async () => {
  tasksPath = writeTasks();
});
afterEach(async () => {
  await model?.stop();
});

const set = (baseUrl: string) => [`models.default.baseUrl=${baseUrl}`, 'budgets.iterations=2'];

async function uninterrupted(outDir: string) {
  model = await startLoopbackModel();
  const outcome = await runBatch({
    refinery: shippedRefinery,
    configPath: 'configs/refine.yaml',
    set: set(model.baseUrl),
    tasksPath,
    outDir,
    concurrency: 2,
    cwd: REPO_ROOT,
    runOptions: { executor, env, onWarning: () => {} },
  });
  return { outcome, answered: [...model.answered].sort() };
}

describe('refinery batch', () => {
  let reference: Awaited<ReturnType<typeof uninterrupted>>;

  it('reports the bad task (file:line and key), runs the others, and ends invalid-input (exit 2)', async () => {
    reference = await uninterrupted(join(dir, 'reference'));
    const { outcome } = reference;
    expect(outcome.rows.map((r) => [r.id, r.status])).toEqual([
      ['max-a', 'passed'],
      ['max-b', 'passed'],
      ['no-entry-point', 'invalid-input'],
      ['merge-intervals', 'exhausted:iterations'],
      ['max-c', 'passed'],
    ]);
    const bad = outcome.rows[2]!;
    expect(bad.summary).toContain(`${tasksPath}:3: entryPoint`);
    expect(bad.trajectory).toBeNull();
    expect(outcome.status).toBe('invalid-input');
    expect(outcome.exitCode).toBe(2);
    // The table on disk is the one returned, in task order; each task that ran has its trajectory.
    const onDisk = readFileSync(outcome.resultsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(onDisk).toEqual(outcome.rows);
    for (const row of outcome.rows.filter((r) => r.trajectory))
      expect(readTrajectory(join(outcome.outDir, row.trajectory!)).events.at(-1)?.type).toBe('final');
  });

  it('killed half way (kill -9) and resumed, ends with the same results table, no request answered twice', async () => {
    model = await startLoopbackModel();
    const outDir = join(dir, 'killed');
    const killed = spawnRefinery(
      [
        'batch',
        'configs/refine.yaml',
        '--tasks',
        tasksPath,
        '--out',
        outDir,
        '--concurrency',
        '2',
        '--quiet',
        ...set(model.baseUrl).flatMap((s) => ['--set', s]),
      ],
      // Half way: the tasks that run write about 80 events in all.
      { killAfterEvents: 40 },
    );
    expect((await killed.exit).signal).toBe('SIGKILL');
    const answeredBeforeKill = model.answered.length;
    const before = readFileSync(join(outDir, 'results.jsonl'), 'utf8');
    expect(before.trim().split('\n').length).toBeLessThan(5);
    const resumed = spawnRefinery(['batch', '--resume', outDir, '--quiet']);
    const exit = await resumed.exit;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('status: invalid-input (exit 2)');
    const rows = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as BatchResultRow);
    expect(table(rows)).toEqual(table(reference.outcome.rows).map((r) => ({ ...(r as object) })));
    // Every request the uninterrupted batch had answered is answered here too, and nothing was answered twice but
    // the one request the other running task may have had in flight when the process killed itself right after
    // writing an event: the server answered it, the dead client never received the reply, so resume sends it again.
    const extra = [...model.answered];
    for (const body of reference.answered) {
      const at = extra.indexOf(body);
      expect(at, 'a request of the uninterrupted batch was never answered').toBeGreaterThanOrEqual(0);
      extra.splice(at, 1);
    }
    expect(extra.length).toBeLessThanOrEqual(1);
    // (the server may finish answering a request that arrived before the kill just after the exit is seen)
    const aroundKill = model.answered.slice(Math.max(0, answeredBeforeKill - 2), answeredBeforeKill + 1);
    for (const body of extra) expect(aroundKill).toContain(body);
  });

  it('stopped by its signal (Ctrl-C): running tasks end cancelled with partial results; --resume completes it', async () => {
    model = await startLoopbackModel();
    const outDir = join(dir, 'cancelled');
    const controller = new AbortController();
    const options = {
      refinery: shippedRefinery,
      outDir,
      concurrency: 2,
      cwd: REPO_ROOT,
      runOptions: { executor, env, onWarning: () => {} },
    };
    const stopped = await runBatch({
      ...options,
      configPath: 'configs/refine.yaml',
      set: set(model.baseUrl),
      tasksPath,
      signal: controller.signal,
      onProgress: (state) => {
        // Stop once the first task has finished and another one is running.
        if (state.row?.status === 'passed') controller.abort('interrupted (SIGINT)');
      },
    });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.exitCode).toBe(130);
    const cancelled = stopped.rows.filter((r) => r.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    for (const row of cancelled) expect(row.result).not.toBeNull();
    expect(stopped.rows.length + stopped.notStarted).toBe(5);

    const resumed = await runBatch({ ...options, resume: true });
    expect(table(resumed.rows)).toEqual(table(reference.outcome.rows));
    expect(resumed.status).toBe('invalid-input');
    expect([...model.answered].sort()).toEqual(reference.answered);
    // The cancelled runs continued in their own trajectories: a resume event after the cancelled final.
    const trajectory = readTrajectory(join(outDir, cancelled[0]!.trajectory!));
    const types = trajectory.events.map((e) => e.type);
    expect(types.indexOf('resume')).toBeGreaterThan(types.indexOf('final'));
    expect(existsSync(join(outDir, 'batch.json'))).toBe(true);
  });

  it('a whole-batch cost budget stops it: exhausted:cost, the tasks not started stay out of the table', async () => {
    model = await startLoopbackModel();
    const outcome = await runBatch({
      refinery: shippedRefinery,
      configPath: 'configs/refine.yaml',
      set: set(model.baseUrl),
      tasksPath,
      outDir: join(dir, 'budget'),
      concurrency: 1,
      budget: { costUsd: 0.0003 },
      cwd: REPO_ROOT,
      runOptions: { executor, env, onWarning: () => {} },
    });
    expect(outcome.status).toBe('exhausted:cost');
    expect(outcome.exitCode).toBe(12);
    expect(outcome.notStarted).toBeGreaterThan(0);
    const spent = outcome.rows.reduce((sum, r) => sum + (r.totals?.costUsd ?? 0), 0);
    expect(spent).toBeGreaterThanOrEqual(0.0003);
  });
});

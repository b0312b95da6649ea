import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResultRow } from '../../src/batch/batch-results.ts';
import { type BatchProgressState, runBatch } from '../../src/batch/run-batch.ts';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { jobIdOf } from '../../src/queue/job-payload.ts';
import { connectionOf, type QueueAddress } from '../../src/queue/queue-connection.ts';
import { submitBatch } from '../../src/queue/submit-batch.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import {
  type LoopbackModel,
  REPO_ROOT,
  type RefineryChild,
  runningMaxReply,
  startLoopbackModel,
} from '../support/loopback-model.ts';
import { testServices } from '../support/services.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { privateQueue, removeQueue, spawnWorker, stopWorkers } from './queue-test-support.ts';

// A batch through the BullMQ queue on a real Redis, run by two `refinery worker` processes, against the same batch
// run locally: the same results table. The bad task (no entryPoint) fails once on a worker (UnrecoverableError,
// though the config allows 3 attempts) and the others complete.
const services = await testServices();
const dir = mkdtempSync(join(tmpdir(), 'refinery-queue-batch-'));
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };
const fixture = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks', `${name}.json`), 'utf8'));

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
  writeFileSync(path, `${tasks.map((t) => JSON.stringify(t)).join('\n')}\n{"id": "torn\n`);
  return path;
}

/** A results table without what differs between two runs of the same batch: wall times. */
const table = (rows: BatchResultRow[]) =>
  rows.map((row) => ({ ...row, totals: row.totals ? { ...row.totals, wallMs: 0 } : null }));

describe.skipIf(!services)('refinery batch --queue (BullMQ on Redis) with refinery worker', () => {
  let model: LoopbackModel;
  let address: QueueAddress;
  let workers: RefineryChild[] = [];
  let tasksPath: string;
  beforeAll(async () => {
    tasksPath = writeTasks();
    // Every first attempt buggy, every repair fixed, whatever the order the workers take the tasks in.
    model = await startLoopbackModel((body) => runningMaxReply(body, 0));
    address = privateQueue(services!.redisUrl, 'batch');
  });
  afterAll(async () => {
    await stopWorkers(workers);
    await model.stop();
    await removeQueue(address);
    rmSync(dir, { recursive: true, force: true });
  });
  const set = () => [`models.default.baseUrl=${model.baseUrl}`, 'budgets.iterations=2', 'queue.attempts=3'];

  it('two workers give the results table of the local batch; the bad task fails once, the others complete', async () => {
    const local = await runBatch({
      refinery: shippedRefinery,
      configPath: 'configs/refine.yaml',
      set: set(),
      tasksPath,
      outDir: join(dir, 'local'),
      concurrency: 2,
      cwd: REPO_ROOT,
      runOptions: { executor: createExecutor({ sandbox: 'auto', onWarning: () => {} }), env, onWarning: () => {} },
    });
    const localRequests = [...model.answered].sort();
    model.answered.length = 0;

    workers = [spawnWorker(address), spawnWorker(address)];
    const outDir = join(dir, 'queued');
    const progress: BatchProgressState[] = [];
    const outcome = await submitBatch({
      refinery: shippedRefinery,
      address,
      configPath: 'configs/refine.yaml',
      set: set(),
      tasksPath,
      outDir,
      cwd: REPO_ROOT,
      env,
      pollMs: 200,
      onProgress: (state) => progress.push(state),
    });
    // The progress line's counts, kept as rows come: at the end, every task done, those that did not pass (the bad
    // one among them) failed, the cost the rows' sum.
    const last = progress.at(-1)!;
    const notPassed = outcome.rows.filter((r) => r.status !== 'passed').length;
    expect(notPassed).toBeGreaterThanOrEqual(1);
    expect([last.total, last.done, last.failed]).toEqual([outcome.rows.length, outcome.rows.length, notPassed]);
    expect(last.costUsd).toBeCloseTo(
      outcome.rows.reduce((sum, r) => sum + (r.totals?.costUsd ?? 0), 0),
      9,
    );
    expect(progress.filter((state) => state.row).map((state) => state.done)).toEqual(outcome.rows.map((_, i) => i + 1));
    expect(outcome.rows.map((r) => [r.id, r.status])).toEqual([
      ['max-a', 'passed'],
      ['max-b', 'passed'],
      ['no-entry-point', 'invalid-input'],
      ['merge-intervals', 'exhausted:iterations'],
      ['max-c', 'passed'],
      ['task-6', 'invalid-input'],
    ]);
    expect(table(outcome.rows)).toEqual(table(local.rows));
    expect(outcome.status).toBe(local.status);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.rows[2]!.summary).toContain(`${tasksPath}:3: entryPoint`);
    // The same model requests as the local batch, each once.
    expect([...model.answered].sort()).toEqual(localRequests);
    // results.jsonl on disk is the table, in task order; each task that ran has a complete trajectory with the job
    // id as its run id (any worker finds it by the job).
    const onDisk = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(onDisk).toEqual(outcome.rows);
    const manifest = JSON.parse(readFileSync(join(outDir, 'batch.json'), 'utf8'));
    for (const row of outcome.rows.filter((r) => r.trajectory)) {
      const events = readTrajectory(join(outDir, row.trajectory!)).events;
      expect(events.at(-1)?.type).toBe('final');
      expect(events[0]).toMatchObject({ type: 'header', runId: jobIdOf(manifest.id, row.id) });
    }
    // The bad task failed once: one attempt of the 3 allowed, and the queue went on.
    const queue = new Queue(address.name, { connection: connectionOf(address) });
    try {
      const bad = await queue.getJob(jobIdOf(manifest.id, 'no-entry-point'));
      expect(await bad!.getState()).toBe('failed');
      expect(bad!.attemptsMade).toBe(1);
      expect(bad!.opts.attempts).toBe(3);
      const counts = await queue.getJobCounts('completed', 'failed', 'wait', 'active');
      expect(counts).toEqual({ completed: 4, failed: 1, wait: 0, active: 0 });
    } finally {
      await queue.close();
    }

    // Submitting the same batch again adds nothing: every task has its row, no request is sent.
    const before = model.answered.length;
    const again = await submitBatch({
      refinery: shippedRefinery,
      address,
      outDir,
      resume: true,
      cwd: REPO_ROOT,
      env,
      pollMs: 200,
    });
    expect(table(again.rows)).toEqual(table(outcome.rows));
    expect(model.answered.length).toBe(before);
  }, 120_000);
});

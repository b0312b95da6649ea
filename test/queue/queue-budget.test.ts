import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResultRow } from '../../src/batch/batch-results.ts';
import { jobIdOf } from '../../src/queue/job-payload.ts';
import { connectionOf, type QueueAddress } from '../../src/queue/queue-connection.ts';
import { submitBatch } from '../../src/queue/submit-batch.ts';
import { EXIT_CODES } from '../../src/runtime/exit-status.ts';
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

// A queued batch with a whole-batch budget stops as a local batch does: the running task ends at its next step
// boundary (row `cancelled`, checkpoint kept), the waiting jobs are removed and not run, the status is exhausted:*;
// followed again without the budget, it completes, the stopped task resumed, no request answered twice. And jobs
// removed from Redis as they end (`queue.removeOnComplete: true`) while no submitter follows them: following the
// batch again still gives every row, from the runs' trajectories, no task run again.
const services = await testServices();
const dir = mkdtempSync(join(tmpdir(), 'refinery-queue-budget-'));
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };

function writeTasks(name: string, ids: string[]): string {
  const task = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks/running-max.json'), 'utf8'));
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, ids.map((id) => JSON.stringify({ ...task, id })).join('\n'));
  return path;
}

/** Every row's trajectory read back: model calls recorded (each answered once if the server answered as many). */
function modelCalls(outDir: string, rows: BatchResultRow[]): number {
  let calls = 0;
  for (const row of rows) {
    const { events } = readTrajectory(join(outDir, row.trajectory!));
    expect(events.at(-1)?.type).toBe('final');
    calls += events.filter((e) => e.type === 'model_call').length;
  }
  return calls;
}

describe.skipIf(!services)('refinery batch --queue: whole-batch budgets, and jobs removed as they end', () => {
  let model: LoopbackModel;
  let address: QueueAddress;
  const workers: RefineryChild[] = [];
  beforeAll(async () => {
    model = await startLoopbackModel((body) => runningMaxReply(body, 0));
    address = privateQueue(services!.redisUrl, 'budget');
    workers.push(spawnWorker(address));
  });
  afterAll(async () => {
    await stopWorkers(workers);
    await model.stop();
    await removeQueue(address);
    rmSync(dir, { recursive: true, force: true });
  });
  const base = () => ({
    refinery: shippedRefinery,
    address,
    configPath: 'configs/refine.yaml',
    cwd: REPO_ROOT,
    env,
    pollMs: 500,
  });

  it('--max-tokens spent: waiting jobs not run, the running task cancelled; followed again, it completes', async () => {
    const ids = ['max-a', 'max-b', 'max-c'];
    const outDir = join(dir, 'budget');
    const set = [`models.default.baseUrl=${model.baseUrl}`];
    const stopped = await submitBatch({
      ...base(),
      set,
      tasksPath: writeTasks('budget', ids),
      outDir,
      budget: { tokens: 1 },
    });
    expect(stopped.status).toBe('exhausted:tokens');
    expect(stopped.exitCode).toBe(EXIT_CODES['exhausted:tokens']);
    expect(stopped.stopped).toMatch(/^batch budget: \d+ of 1 tokens spent$/);
    // One worker, one job at a time: the task it ran is cancelled at a step boundary, the others were never run.
    expect(stopped.rows.map((r) => r.status)).toEqual(stopped.rows.map(() => 'cancelled'));
    expect(stopped.rows.length).toBeGreaterThanOrEqual(1);
    expect(stopped.notStarted).toBe(ids.length - stopped.rows.length);
    expect(stopped.notStarted).toBeGreaterThanOrEqual(1);
    const queue = new Queue(address.name, { connection: connectionOf(address) });
    try {
      expect(await queue.getJobCounts('wait', 'active', 'delayed')).toEqual({ wait: 0, active: 0, delayed: 0 });
    } finally {
      await queue.close();
    }
    const cancelledCalls = modelCallsSoFar(outDir, stopped.rows);

    const again = await submitBatch({ ...base(), outDir, resume: true });
    expect(again.status).toBe('passed');
    expect(again.rows.map((r) => [r.id, r.status])).toEqual(ids.map((id) => [id, 'passed']));
    // The cancelled task resumed from its checkpoint (a resume event), keeping the calls it had made.
    for (const row of stopped.rows) {
      const { events } = readTrajectory(join(outDir, row.trajectory!));
      expect(events.filter((e) => e.type === 'resume')).toHaveLength(1);
    }
    expect(cancelledCalls).toBeGreaterThan(0);
    // No request answered twice: the server answered exactly the calls the three trajectories hold.
    const calls = modelCalls(outDir, again.rows);
    expect(model.answered).toHaveLength(calls);
    expect(model.received()).toBe(calls);
  }, 120_000);

  it('queue.removeOnComplete: true: the jobs are gone from Redis, and every row is still followed', async () => {
    const ids = ['max-d', 'max-e'];
    const outDir = join(dir, 'removed');
    const answeredBefore = model.answered.length;
    const set = [`models.default.baseUrl=${model.baseUrl}`, 'queue.removeOnComplete=true'];
    // Submitted, then not followed (Ctrl-C at once): the jobs run and are removed as they end.
    const away = new AbortController();
    away.abort('not followed');
    const first = await submitBatch({
      ...base(),
      set,
      tasksPath: writeTasks('removed', ids),
      outDir,
      signal: away.signal,
    });
    expect(first.status).toBe('cancelled');
    expect(first.rows).toEqual([]);
    const queue = new Queue(address.name, { connection: connectionOf(address) });
    try {
      const batchId = JSON.parse(readFileSync(join(outDir, 'batch.json'), 'utf8')).id as string;
      const jobsLeft = async () =>
        (await Promise.all(ids.map((id) => queue.getJob(jobIdOf(batchId, id))))).filter((job) => job !== undefined);
      // Both ran (their trajectories ended) and neither is left in Redis.
      const ended = () =>
        ids.filter((id) => {
          try {
            return readTrajectory(join(outDir, 'trajectories', `${id}.jsonl`)).events.at(-1)?.type === 'final';
          } catch {
            return false;
          }
        }).length;
      while (ended() < ids.length || (await jobsLeft()).length > 0) await new Promise((r) => setTimeout(r, 200));
      expect(await jobsLeft()).toEqual([]);
      const answeredByRuns = model.answered.length - answeredBefore;

      // Followed again: the sweep finds the jobs gone and submits them again; the worker returns each ended run's
      // row without running it (no request sent).
      const again = await submitBatch({ ...base(), outDir, resume: true });
      expect(again.rows.map((r) => [r.id, r.status])).toEqual(ids.map((id) => [id, 'passed']));
      expect(modelCalls(outDir, again.rows)).toBe(answeredByRuns);
      expect(model.answered.length - answeredBefore).toBe(answeredByRuns);
      expect(await jobsLeft()).toEqual([]);
    } finally {
      await queue.close();
    }
  }, 120_000);
});

/** Model calls the rows' (cancelled) trajectories hold so far. */
function modelCallsSoFar(outDir: string, rows: BatchResultRow[]): number {
  return rows.reduce(
    (sum, row) =>
      sum + readTrajectory(join(outDir, row.trajectory!)).events.filter((e) => e.type === 'model_call').length,
    0,
  );
}

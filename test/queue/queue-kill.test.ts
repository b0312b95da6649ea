import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { jobIdOf } from '../../src/queue/job-payload.ts';
import { connectionOf } from '../../src/queue/queue-connection.ts';
import { submitBatch } from '../../src/queue/submit-batch.ts';
import { checkpointPathFor } from '../../src/runtime/run-checkpointer.ts';
import { openStore } from '../../src/store/open-store.ts';
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

// Workers killed with kill -9 mid-task: the first right after writing its 6th trajectory event, the second when the
// loopback model server receives its 2nd request (before the reply). Their jobs' locks expire (queue.lockDuration,
// small here), a live worker's stalled-job check puts them back on the queue, and a third worker resumes each from
// its checkpoint: every task completes exactly once, the server answers no request twice, the trajectories are
// valid and replay exactly. Twice: with the runs in the batch directory, and in PostgreSQL (`--store`).
const services = await testServices();
const dir = mkdtempSync(join(tmpdir(), 'refinery-queue-kill-'));
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The uninterrupted run of one task: its status, result and the model requests it makes (sorted). */
let baseline: { status: string; result: unknown; requests: string[] } | undefined;
async function baselineOf(set: string[], model: LoopbackModel) {
  if (baseline) return baseline;
  const run = await shippedRefinery.run({
    configPath: 'configs/refine.yaml',
    taskFile: 'fixtures/tasks/running-max.json',
    set,
    cwd: REPO_ROOT,
    env,
    trajectoryPath: join(dir, 'baseline.jsonl'),
    executor: createExecutor({ sandbox: 'auto', onWarning: () => {} }),
    onWarning: () => {},
  });
  baseline = { status: run.status, result: run.result, requests: [...model.answered].sort() };
  model.answered.length = 0;
  return baseline;
}

// In the batch directory: two tasks, a worker killed after its 6th trajectory event, another on its 2nd model
// request. In PostgreSQL (`--store`; the trajectory is no file the kill preload can count lines of): one task, a
// worker killed on its 3rd request.
describe.skipIf(!services).each([
  { store: 'the batch directory', tasks: ['max-a', 'max-b'], kills: [{ events: 6 }, { request: 2 }] },
  { store: 'PostgreSQL', tasks: ['max-a'], kills: [{ request: 3 }] },
])('refinery worker killed with kill -9 mid-task, runs in $store', ({ store, tasks: TASKS, kills }) => {
  const address = privateQueue(services?.redisUrl ?? 'redis://127.0.0.1:1', 'kill');
  const storeUrl = store === 'PostgreSQL' ? services?.postgresUrl : undefined;
  const workers: RefineryChild[] = [];
  afterAll(async () => {
    await stopWorkers(workers);
    await removeQueue(address);
  });

  it('another worker resumes the job from its checkpoint: completes once, no request twice, valid trajectory', async () => {
    // Every first attempt buggy, every repair fixed: each task asks the same requests whatever the order.
    const model = await startLoopbackModel((body) => runningMaxReply(body, 0));
    try {
      const set = [
        `models.default.baseUrl=${model.baseUrl}`,
        'queue.lockDuration=1500',
        'queue.stalledInterval=500',
        'queue.maxStalledCount=3',
      ];
      const { requests: perTask, ...expectedRun } = await baselineOf(set, model);
      expect(perTask.length).toBeGreaterThan(2);
      const receivedBefore = model.received();

      const task = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks/running-max.json'), 'utf8'));
      const tasksPath = join(dir, `tasks-${storeUrl ? 'pg' : 'dir'}.jsonl`);
      writeFileSync(tasksPath, TASKS.map((id) => JSON.stringify({ ...task, id })).join('\n'));
      const outDir = join(dir, `batch-${storeUrl ? 'pg' : 'dir'}`);
      const submitted = submitBatch({
        refinery: shippedRefinery,
        address,
        configPath: 'configs/refine.yaml',
        set,
        tasksPath,
        outDir,
        ...(storeUrl ? { store: storeUrl } : {}),
        cwd: REPO_ROOT,
        env,
        pollMs: 200,
      });

      // Each killed worker takes a job (a new one, or one a dead worker left) and dies at its point.
      for (const kill of kills) {
        const worker = spawnWorker(address, 'events' in kill ? { killAfterEvents: kill.events } : {});
        workers.push(worker);
        if ('request' in kill) model.killOnRequest(worker.child, kill.request!);
        expect((await worker.exit).signal).toBe('SIGKILL');
      }
      workers.push(spawnWorker(address, { concurrency: 2 }));
      const outcome = await submitted;
      const requestKills = kills.filter((k) => 'request' in k).length;
      const baseline = expectedRun;

      // The baseline's result, but for the task id it names.
      const expected = (id: string) => ({ ...(baseline.result as object), taskId: id });
      expect(outcome.rows.map((r) => [r.id, r.status, r.result])).toEqual(
        TASKS.map((id) => [id, baseline.status, expected(id)]),
      );
      // No request answered twice: the server answered each task's requests once; it received one more, the one
      // the second worker was killed on (never answered, sent again by the resume).
      expect([...model.answered].sort()).toEqual(TASKS.flatMap(() => perTask).sort());
      expect(model.received() - receivedBefore).toBe(TASKS.length * perTask.length + requestKills);

      const manifest = JSON.parse(readFileSync(join(outDir, 'batch.json'), 'utf8'));
      const queue = new Queue(address.name, { connection: connectionOf(address) });
      const runStore = storeUrl ? await openStore(storeUrl) : undefined;
      let resumes = 0;
      try {
        for (const id of TASKS) {
          const runId = jobIdOf(manifest.id, id);
          const path = join(outDir, 'trajectories', `${id}.jsonl`);
          const trajectory = runStore ? (await runStore.readTrajectory(runId))! : readTrajectory(path);
          expect(outcome.rows.find((r) => r.id === id)?.trajectory).toBe(runStore ? runId : `trajectories/${id}.jsonl`);
          const { events, truncated } = trajectory;
          expect(truncated).toBe(false);
          expect(events[0]).toMatchObject({ type: 'header', runId: jobIdOf(manifest.id, id) });
          expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
          // Completed exactly once: one final event, one completed job.
          expect(events.filter((e) => e.type === 'final')).toHaveLength(1);
          expect(events.at(-1)?.type).toBe('final');
          expect(events.filter((e) => e.type === 'model_call')).toHaveLength(perTask.length);
          resumes += events.filter((e) => e.type === 'resume').length;
          expect(await queue.getJobState(jobIdOf(manifest.id, id))).toBe('completed');
          expect(existsSync(checkpointPathFor(path))).toBe(false);
          const replay = await shippedRefinery.run({
            replay: { trajectoryPath: path, exec: 'recorded', onDivergence: 'stop', trajectory },
            cwd: REPO_ROOT,
            trajectoryPath: null,
            onWarning: () => {},
          });
          expect([replay.status, replay.result]).toEqual([baseline.status, expected(id)]);
        }
      } finally {
        await queue.close();
        await runStore?.close();
      }
      // Each kill in a task the next worker resumed.
      expect(resumes).toBe(kills.length);
    } finally {
      await model.stop();
    }
  }, 240_000);
});

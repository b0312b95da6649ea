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
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { REPO_ROOT, type RefineryChild, runningMaxReply, startLoopbackModel } from '../support/loopback-model.ts';
import { testServices } from '../support/services.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { privateQueue, removeQueue, spawnWorker, stopWorkers } from './queue-test-support.ts';

// Workers killed with kill -9 mid-task: the first right after writing its 6th trajectory event, the second when the
// loopback model server receives its 2nd request (before the reply). Their jobs' locks expire (queue.lockDuration,
// small here), a live worker's stalled-job check puts them back on the queue, and a third worker resumes each from
// its checkpoint: every task completes exactly once, the server answers no request twice, the trajectories are
// valid and replay exactly.
const services = await testServices();
const dir = mkdtempSync(join(tmpdir(), 'refinery-queue-kill-'));
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };
const TASKS = ['max-a', 'max-b'];

describe.skipIf(!services)('refinery worker killed with kill -9 mid-task', () => {
  const address = privateQueue(services?.redisUrl ?? 'redis://127.0.0.1:1', 'kill');
  const workers: RefineryChild[] = [];
  afterAll(async () => {
    await stopWorkers(workers);
    await removeQueue(address);
    rmSync(dir, { recursive: true, force: true });
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
      const baselinePath = join(dir, 'baseline.jsonl');
      const baseline = await shippedRefinery.run({
        configPath: 'configs/refine.yaml',
        taskFile: 'fixtures/tasks/running-max.json',
        set,
        cwd: REPO_ROOT,
        env,
        trajectoryPath: baselinePath,
        executor: createExecutor({ sandbox: 'auto', onWarning: () => {} }),
        onWarning: () => {},
      });
      const perTask = [...model.answered].sort();
      expect(perTask.length).toBeGreaterThan(2);
      model.answered.length = 0;
      const receivedBefore = model.received();

      const task = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks/running-max.json'), 'utf8'));
      const tasksPath = join(dir, 'tasks.jsonl');
      writeFileSync(tasksPath, TASKS.map((id) => JSON.stringify({ ...task, id })).join('\n'));
      const outDir = join(dir, 'batch');
      const submitted = submitBatch({
        refinery: shippedRefinery,
        address,
        configPath: 'configs/refine.yaml',
        set,
        tasksPath,
        outDir,
        cwd: REPO_ROOT,
        env,
        pollMs: 200,
      });

      const first = spawnWorker(address, { killAfterEvents: 6 });
      workers.push(first);
      expect((await first.exit).signal).toBe('SIGKILL');
      const second = spawnWorker(address);
      workers.push(second);
      model.killOnRequest(second.child, 2);
      expect((await second.exit).signal).toBe('SIGKILL');
      workers.push(spawnWorker(address, { concurrency: 2 }));
      const outcome = await submitted;

      // The baseline's result, but for the task id it names.
      const expected = (id: string) => ({ ...(baseline.result as object), taskId: id });
      expect(outcome.rows.map((r) => [r.id, r.status, r.result])).toEqual(
        TASKS.map((id) => [id, baseline.status, expected(id)]),
      );
      // No request answered twice: the server answered each task's requests once; it received one more, the one
      // the second worker was killed on (never answered, sent again by the resume).
      expect([...model.answered].sort()).toEqual(TASKS.flatMap(() => perTask).sort());
      expect(model.received() - receivedBefore).toBe(TASKS.length * perTask.length + 1);

      const manifest = JSON.parse(readFileSync(join(outDir, 'batch.json'), 'utf8'));
      const queue = new Queue(address.name, { connection: connectionOf(address) });
      let resumes = 0;
      try {
        for (const id of TASKS) {
          const path = join(outDir, 'trajectories', `${id}.jsonl`);
          const { events, truncated } = readTrajectory(path);
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
            replay: { trajectoryPath: path, exec: 'recorded', onDivergence: 'stop' },
            cwd: REPO_ROOT,
            trajectoryPath: null,
            onWarning: () => {},
          });
          expect([replay.status, replay.result]).toEqual([baseline.status, expected(id)]);
        }
      } finally {
        await queue.close();
      }
      // Two kills, each in a task the next worker resumed.
      expect(resumes).toBe(2);
    } finally {
      await model.stop();
    }
  }, 120_000);
});

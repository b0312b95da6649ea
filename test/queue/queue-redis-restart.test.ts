import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { submitBatch } from '../../src/queue/submit-batch.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { REPO_ROOT, type RefineryChild, runningMaxReply, startLoopbackModel } from '../support/loopback-model.ts';
import { servicesMissingReason, servicesRequired, startPrivateRedis } from '../support/services.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { privateQueue, spawnWorker, stopWorkers } from './queue-test-support.ts';

// Redis (a private one: never restart the shared server) restarted while a batch runs on two workers: the workers
// and the submitter reconnect, and the batch completes with every task's row, each task run once, no model request
// answered twice. The server keeps its data over the restart (append-only file), as `refinery services` starts it.
const skip = servicesMissingReason !== undefined && !servicesRequired;
const dir = mkdtempSync(join(tmpdir(), 'refinery-queue-restart-'));
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };
const TASKS = ['max-a', 'max-b', 'max-c', 'max-d'];

describe.skipIf(skip)('Redis restarted mid-batch', () => {
  const workers: RefineryChild[] = [];
  afterAll(async () => {
    await stopWorkers(workers);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the workers reconnect and the batch completes, nothing lost, nothing run twice', async () => {
    const redis = await startPrivateRedis();
    const model = await startLoopbackModel((body) => runningMaxReply(body, 0));
    try {
      const address = privateQueue(redis.url, 'restart');
      const task = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks/running-max.json'), 'utf8'));
      const tasksPath = join(dir, 'tasks.jsonl');
      writeFileSync(tasksPath, TASKS.map((id) => JSON.stringify({ ...task, id })).join('\n'));
      workers.push(spawnWorker(address), spawnWorker(address));
      const pidBefore = redis.pid();
      let restarted: Promise<void> | undefined;
      let doneAtRestart = -1;
      const outcome = await submitBatch({
        refinery: shippedRefinery,
        address,
        configPath: 'configs/refine.yaml',
        set: [`models.default.baseUrl=${model.baseUrl}`],
        tasksPath,
        outDir: join(dir, 'batch'),
        cwd: REPO_ROOT,
        env,
        pollMs: 200,
        onProgress: (state) => {
          // Once the first task has its row (the others queued or running): restart the server.
          if (state.row && restarted === undefined) {
            doneAtRestart = state.done;
            restarted = redis.restart();
          }
        },
      });
      await restarted;
      expect(redis.pid()).not.toBe(pidBefore);
      expect(doneAtRestart).toBe(1);
      expect(outcome.rows.map((r) => [r.id, r.status])).toEqual(TASKS.map((id) => [id, 'passed']));
      // Each task ran once: one final event each, and the server answered each request of the four runs once.
      const calls: string[] = [];
      for (const row of outcome.rows) {
        const { events } = readTrajectory(join(outcome.outDir, row.trajectory!));
        expect(events.filter((e) => e.type === 'final')).toHaveLength(1);
        expect(events.filter((e) => e.type === 'resume')).toHaveLength(0);
        for (const e of events) if (e.type === 'model_call') calls.push(JSON.stringify(e.request));
      }
      expect(calls.length).toBeGreaterThan(TASKS.length);
      expect(model.answered).toHaveLength(calls.length);
      expect(model.received()).toBe(calls.length);
      // The workers went on after the restart: between them, each task passed once (whether a worker logged the
      // lost connection depends on how soon it was back, so that is not asserted).
      await stopWorkers(workers);
      const logs = await Promise.all(workers.map((w) => w.exit));
      const passed = logs.flatMap((l) => l.stderr.split('\n').filter((line) => / passed$/.test(line)));
      expect(passed.map((line) => line.replace(/^.*\.(max-\w+): passed$/, '$1')).sort(), passed.join('\n')).toEqual(
        TASKS,
      );
    } finally {
      await stopWorkers(workers);
      await model.stop();
      await redis.stop();
    }
  }, 120_000);
});

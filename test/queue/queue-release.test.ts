import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { submitBatch } from '../../src/queue/submit-batch.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { REPO_ROOT, type RefineryChild, runningMaxReply, startLoopbackModel } from '../support/loopback-model.ts';
import { testServices } from '../support/services.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { privateQueue, removeQueue, spawnWorker, stopWorkers } from './queue-test-support.ts';

// A worker stopped with SIGTERM while it runs a task: the run is cancelled (checkpoint kept), the job goes back to the
// queue at once (no lock to wait for), and the next worker resumes it: it completes once, no request twice.
const services = await testServices();
const dir = mkdtempSync(join(tmpdir(), 'refinery-queue-release-'));
const env = { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' };

describe.skipIf(!services)('refinery worker stopped with SIGTERM mid-task', () => {
  const address = privateQueue(services?.redisUrl ?? 'redis://127.0.0.1:1', 'release');
  const workers: RefineryChild[] = [];
  afterAll(async () => {
    await stopWorkers(workers);
    await removeQueue(address);
    rmSync(dir, { recursive: true, force: true });
  });

  it('releases its job, which the next worker resumes from its checkpoint', async () => {
    const model = await startLoopbackModel((body) => runningMaxReply(body, 0));
    try {
      const task = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/tasks/running-max.json'), 'utf8'));
      const tasksPath = join(dir, 'tasks.jsonl');
      writeFileSync(tasksPath, JSON.stringify({ ...task, id: 'max-a' }));
      const submitted = submitBatch({
        refinery: shippedRefinery,
        address,
        configPath: 'configs/refine.yaml',
        // The lock is long: the job can only come back this soon because the stopped worker released it.
        set: [`models.default.baseUrl=${model.baseUrl}`, 'queue.lockDuration=120000', 'queue.stalledInterval=120000'],
        tasksPath,
        outDir: join(dir, 'batch'),
        cwd: REPO_ROOT,
        env,
        pollMs: 200,
      });
      const first = spawnWorker(address);
      workers.push(first);
      // Stopped once the model has answered its second request (the run has two more to go, and tests to run).
      await new Promise<void>((done) => {
        const timer = setInterval(() => {
          if (model.answered.length >= 2) {
            clearInterval(timer);
            done();
          }
        }, 20);
      });
      first.child.kill('SIGTERM');
      const exit = await first.exit;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toContain('released');
      workers.push(spawnWorker(address));
      const outcome = await submitted;
      expect(
        outcome.rows.map((r) => [r.id, r.status]),
        JSON.stringify(outcome.rows),
      ).toEqual([['max-a', 'passed']]);
      const { events } = readTrajectory(join(outcome.outDir, outcome.rows[0]!.trajectory!));
      expect(events.filter((e) => e.type === 'resume')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'final', status: 'passed' });
      const calls = events.filter((e) => e.type === 'model_call').length;
      expect(model.answered).toHaveLength(calls);
    } finally {
      await model.stop();
    }
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import { type LoopbackModel, REPO_ROOT, startLoopbackModel } from '../support/loopback-model.ts';
import { type PrivateService, servicesMissingReason, startPrivatePostgres } from '../support/services.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

// PostgreSQL restarted mid-batch (a private server: the shared ones are never restarted): the runs' trajectory
// inserts and checkpoints wait for it and are sent again, and every run completes as it does without a restart,
// its stored trajectory whole and each model request answered once.
let server: PrivateService | undefined;
let store: RunStore;
const models: LoopbackModel[] = [];
beforeAll(async () => {
  if (servicesMissingReason && !process.env.CI) return;
  server = await startPrivatePostgres();
  store = await openStore(server.url);
}, 120_000);
afterAll(async () => {
  await store?.close();
  await server?.stop();
  for (const model of models) await model.stop();
});

async function refineRun(runId: string, onEvent?: (count: number) => void) {
  const model = await startLoopbackModel();
  models.push(model);
  let count = 0;
  const result = await shippedRefinery.run({
    configPath: 'configs/refine.yaml',
    taskFile: 'fixtures/tasks/running-max.json',
    set: [`models.default.baseUrl=${model.baseUrl}`],
    cwd: REPO_ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' },
    runId,
    store,
    progress: silentProgress,
    onWarning: () => {},
    onTrajectory: (writer) => writer.onEvent(() => onEvent?.(++count)),
  });
  return { result, answered: [...model.answered].sort() };
}

describe('PostgreSQL restarted mid-batch', () => {
  it('the runs reconnect and complete like runs without a restart, trajectories whole', async (t) => {
    if (!server) return t.skip(`no PostgreSQL binaries here: ${servicesMissingReason}`);
    const baseline = await refineRun('baseline');
    expect(baseline.result.status).toBe('passed');

    const pidBefore = server.pid();
    let restart: Promise<void> | undefined;
    let eventsAtRestart = 0;
    const batch = await Promise.all(
      ['task-1', 'task-2'].map((runId, i) =>
        refineRun(runId, (count) => {
          // After the first run's fourth event: the server goes down while every run still has work to store.
          if (i === 0 && count === 4) {
            eventsAtRestart = count;
            restart = server!.restart();
          }
        }),
      ),
    );
    await restart;
    expect(eventsAtRestart).toBe(4);
    expect(server.pid()).not.toBe(pidBefore);
    const baselineFinal = (await store.readTrajectory('baseline'))!.events.at(-1);
    for (const [i, run] of batch.entries()) {
      expect(run.result.status, run.result.summary).toBe('passed');
      expect(run.answered).toEqual(baseline.answered);
      const events = (await store.readTrajectory(`task-${i + 1}`))!.events;
      expect(events.map((e) => e.seq)).toEqual(events.map((_, n) => n));
      const final = events.at(-1);
      expect(final?.type).toBe('final');
      expect(final?.type === 'final' && final.result).toEqual(baselineFinal?.type === 'final' && baselineFinal.result);
      expect(await store.runState(`task-${i + 1}`)).toBe('passed');
    }
  });
});

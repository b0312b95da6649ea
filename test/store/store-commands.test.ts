import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import { captureOutput } from '../support/capture-output.ts';
import { type LoopbackModel, REPO_ROOT, startLoopbackModel } from '../support/loopback-model.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// `refinery resume|view|replay --store URL RUN_ID`: a refine run stopped half way in the PostgreSQL store is
// resumed from the command line by its id (its answered model calls not sent again), viewed, listed and replayed
// from the store, and nothing of it goes to files.
let db: FreshDatabase | undefined;
let store: RunStore;
const scratch = mkdtempSync(join(tmpdir(), 'refinery-store-commands-'));
const models: LoopbackModel[] = [];
beforeAll(async () => {
  db = await freshDatabase();
  if (db) store = await openStore(db.url);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await db?.drop();
  for (const model of models) await model.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function refineRun(runId: string, model: LoopbackModel, stopAfterNodes?: number) {
  const controller = new AbortController();
  let exits = 0;
  return shippedRefinery.run({
    configPath: 'configs/refine.yaml',
    taskFile: 'fixtures/tasks/running-max.json',
    set: [`models.default.baseUrl=${model.baseUrl}`],
    cwd: REPO_ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' },
    runId,
    store,
    progress: silentProgress,
    signal: controller.signal,
    onWarning: () => {},
    onTrajectory: (writer) =>
      writer.onEvent((event) => {
        if (event.type === 'node_exit' && ++exits === stopAfterNodes) controller.abort('stopped by the test');
      }),
  });
}

const cli = (...argv: string[]) => captureOutput(() => main(argv, shippedRefinery));

describe('refinery resume|view|replay --store', () => {
  it('resumes a stopped run by id from the store, each model request answered once, then views and replays it', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const wholeModel = await startLoopbackModel();
    models.push(wholeModel);
    const whole = await refineRun('whole', wholeModel);
    expect(whole.status).toBe('passed');

    const model = await startLoopbackModel();
    models.push(model);
    const stopped = await refineRun('parts', model, 2);
    expect(stopped.status).toBe('cancelled');
    const answeredBefore = model.answered.length;
    expect(answeredBefore).toBeGreaterThan(0);

    vi.stubEnv('OPENAI_API_KEY', 'sk-loopback-0000');
    const resumed = await cli('resume', '--store', db.url, 'parts', '--quiet');
    vi.unstubAllEnvs();
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('passed');
    const events = (await store.readTrajectory('parts'))!.events;
    const resultOf = (list: typeof events) => {
      const last = list.at(-1);
      return last?.type === 'final' ? last.result : 'no final event';
    };
    expect(resultOf(events)).toEqual(resultOf((await store.readTrajectory('whole'))!.events));
    expect(events.some((e) => e.type === 'resume')).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect([...model.answered].sort()).toEqual([...wholeModel.answered].sort());

    const page = join(scratch, 'parts.html');
    const viewed = await cli('view', '--store', db.url, 'parts', '--out', page);
    expect(viewed.code, viewed.stderr).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('running-max');

    const listed = await cli('view', '--store', db.url);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^whole\t\S+\t\d+ events\tpassed$/m);
    expect(listed.stdout).toMatch(/^parts\t\S+\t\d+ events\tpassed$/m);

    const replayed = await cli('replay', '--store', db.url, 'parts', '--exec', 'recorded', '--quiet');
    expect(replayed.code, replayed.stderr).toBe(0);
    const replayRun = (await store.listRuns()).find((run) => !['whole', 'parts'].includes(run.runId));
    expect(replayRun?.status).toBe('passed');
    const replayHeader = (await store.readTrajectory(replayRun!.runId))!.header;
    expect(replayHeader.replayOf).toBe(`${store.label} run parts`);
    expect(existsSync(join(REPO_ROOT, 'runs', 'parts.jsonl'))).toBe(false);
  });

  it('refuses to resume a run that ended, an unknown run id, and a store that is not one (exit 2)', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const ended = await cli('resume', '--store', db.url, 'whole');
    expect(ended.code).toBe(2);
    expect(ended.stderr).toMatch(/run whole: the run already ended \(status passed\)/);
    const unknown = await cli('view', '--store', db.url, 'no-such-run');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no run 'no-such-run' in the store");
    const notAStore = await cli('view', '--store', 'redis://127.0.0.1:1', 'whole');
    expect(notAStore.code).toBe(2);
    expect(notAStore.stderr).toContain('a store is a postgres:// URL or a directory');
  });
});

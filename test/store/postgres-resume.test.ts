import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/models/model-types.ts';
import type { AnyPipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import type { PipelineExampleInputs } from '../../src/runtime/pipeline-example.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import { ExampleModelClient } from '../../src/testing/example-model-client.ts';
import { REPO_ROOT } from '../support/loopback-model.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// test/runtime/resume-conformance.test.ts with the run's state in PostgreSQL (--store): each pipeline's example
// stopped after its second node and resumed by run id from the store ends like the uninterrupted run, each model
// call made once; its trajectory in the store is whole (seq 0..n) and its checkpoints are gone once it ended.
let db: FreshDatabase | undefined;
let store: RunStore;
const scratchDirs: string[] = [];
beforeAll(async () => {
  db = await freshDatabase();
  if (db) store = await openStore(db.url);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await db?.drop();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

interface Prepared {
  scratch: string;
  inputs: PipelineExampleInputs;
  configPath: string;
}

async function prepare(definition: AnyPipelineDefinition): Promise<Prepared> {
  const scratch = mkdtempSync(join(tmpdir(), `refinery-store-resume-${definition.name}-`));
  scratchDirs.push(scratch);
  const inputs = await definition.example!.prepare(scratch);
  return { scratch, inputs, configPath: isAbsolute(inputs.config) ? inputs.config : resolve(REPO_ROOT, inputs.config) };
}

function countingModels(prepared: Prepared, names: string[]) {
  const client = new ExampleModelClient(prepared.inputs.replies);
  let calls = 0;
  const counting: ModelClient = {
    call: (request) => {
      calls++;
      return client.call(request);
    },
  };
  return { models: Object.fromEntries(names.map((name) => [name, counting])), calls: () => calls };
}

async function start(prepared: Prepared, runId: string, stopAfterNodes?: number) {
  const loaded = await shippedRefinery.loadConfig(prepared.configPath, { set: prepared.inputs.set ?? [], env: {} });
  const counted = countingModels(prepared, Object.keys(loaded.config.models));
  const controller = new AbortController();
  let exits = 0;
  const result = await shippedRefinery.run({
    cwd: REPO_ROOT,
    configPath: prepared.configPath,
    set: prepared.inputs.set ?? [],
    env: {},
    task: prepared.inputs.task,
    models: counted.models,
    runId,
    store,
    progress: silentProgress,
    signal: controller.signal,
    onTrajectory: (writer) =>
      writer.onEvent((event) => {
        if (event.type === 'node_exit' && ++exits === stopAfterNodes) controller.abort('stopped by the test');
      }),
  });
  return { result, counted };
}

const VOLATILE = /^(\w*Ms|unixSeconds|sha|executed|cached)$/;
/** A result with the scratch directory and the run id (the repo pipeline's branch) written the same way. */
const portable = (value: unknown, scratch: string, runId: string): unknown =>
  JSON.parse(JSON.stringify(value).split(scratch).join('<scratch>').split(runId).join('<run>'), (key, v) =>
    VOLATILE.test(key) ? undefined : v,
  );

// Two pipelines keep the file to its time share (test/runtime runs every pipeline on the SQLite checkpointer):
// the smallest, and one that resumes a git worktree (store-commands.test.ts resumes refine from the CLI).
const SAMPLE = ['best-of-n', 'repo'];
const withExamples = shippedRefinery.pipelines.all().filter((p) => p.example && SAMPLE.includes(p.name));

it('samples two pipelines', () => expect(withExamples.map((p) => p.name).sort()).toEqual(SAMPLE));

describe.each(withExamples.map((p) => [p.name, p] as const))(
  'resume from the PostgreSQL store: %s',
  (name, definition) => {
    it('stopped after its second node and resumed by run id: the same status and result, each model call once', async (t) => {
      if (!db) return t.skip('no PostgreSQL for the tests');
      const whole = await prepare(definition);
      const uninterrupted = await start(whole, `${name}-whole`);

      const parts = await prepare(definition);
      const runId = `${name}-parts`;
      const stopped = await start(parts, runId, 2);
      expect(stopped.result.status).toBe('cancelled');
      expect(stopped.result.trajectoryPath).toContain(`run ${runId}`);
      expect(await store.runState(runId)).toBe('unfinished');
      const resumed = await shippedRefinery.run({
        cwd: REPO_ROOT,
        resume: { runId },
        store,
        env: {},
        models: stopped.counted.models,
        progress: silentProgress,
      });
      expect(resumed.status, resumed.summary).toBe(uninterrupted.result.status);
      expect(portable(resumed.result, parts.scratch, runId)).toEqual(
        portable(uninterrupted.result.result, whole.scratch, `${name}-whole`),
      );
      expect(stopped.counted.calls()).toBe(uninterrupted.counted.calls());
      const events = (await store.readTrajectory(runId))!.events;
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      const types = events.map((e) => e.type);
      expect(types.indexOf('resume')).toBeGreaterThan(types.indexOf('final'));
      expect(types.at(-1)).toBe('final');
      expect(await store.runState(runId)).toBe(resumed.status);
      const checkpointer = await store.openCheckpointer(runId, () => ({
        seq: 0,
        totals: events[0] as never,
        nodeSteps: 0,
        modelCalls: 0,
      }));
      expect(await checkpointer.latest(runId)).toBeUndefined();
      // Nothing of the run went to files: the scratch holds only what the example prepared.
      expect(readdirSync(parts.scratch).some((f) => f.endsWith('.jsonl') || f.endsWith('.sqlite'))).toBe(false);
    });
  },
);

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/models/model-types.ts';
import type { AnyPipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import type { PipelineExampleInputs } from '../../src/runtime/pipeline-example.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { ResumeError } from '../../src/runtime/resume-error.ts';
import { ExampleModelClient } from '../../src/testing/example-model-client.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { REPO_ROOT } from '../support/loopback-model.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

// Every registered pipeline with an example, through the contract: its example run stopped (cancelled) after its
// second node and resumed from the checkpoint ends like the uninterrupted run, and no model call is made twice.
const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

const RUN_ID = 'resume-conformance';

interface Prepared {
  scratch: string;
  inputs: PipelineExampleInputs;
  configPath: string;
}

async function prepare(definition: AnyPipelineDefinition): Promise<Prepared> {
  const scratch = mkdtempSync(join(tmpdir(), `refinery-resume-${definition.name}-`));
  scratchDirs.push(scratch);
  const inputs = await definition.example!.prepare(scratch);
  return { scratch, inputs, configPath: isAbsolute(inputs.config) ? inputs.config : resolve(REPO_ROOT, inputs.config) };
}

/** The example's replies, counting every call that reaches the model. */
function countingModels(
  prepared: Prepared,
  names: string[],
): { models: Record<string, ModelClient>; calls: () => number } {
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

async function start(prepared: Prepared, trajectoryPath: string, stopAfterNodes?: number) {
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
    runId: RUN_ID,
    trajectoryPath,
    progress: silentProgress,
    signal: controller.signal,
    onTrajectory: (writer) =>
      writer.onEvent((event) => {
        if (event.type === 'node_exit' && ++exits === stopAfterNodes) controller.abort('stopped by the test');
      }),
  });
  return { result, counted };
}

/**
 * Keys whose values differ between two runs of the same example: times, commit ids (their trees stay), and the
 * execution cache's accounting (how many runs were executed or served from the cache depends on what ran before:
 * the uninterrupted run fills the cache the resumed one reads).
 */
const VOLATILE = /^(\w*Ms|unixSeconds|sha|executed|cached)$/;

/** A result with the scratch directory (worktree paths of the repo pipeline) written the same way, times dropped. */
const portable = (value: unknown, scratch: string): unknown =>
  JSON.parse(JSON.stringify(value).split(scratch).join('<scratch>'), (key, v) => (VOLATILE.test(key) ? undefined : v));

const withExamples = shippedRefinery.pipelines.all().filter((p) => p.example);

describe.each(withExamples.map((p) => [p.name, p] as const))('resume of %s', (_name, definition) => {
  it('stopped after its second node and resumed: the same status and result, each model call made once', async () => {
    const whole = await prepare(definition);
    const uninterrupted = await start(whole, join(whole.scratch, 'run.jsonl'));

    const parts = await prepare(definition);
    const path = join(parts.scratch, 'run.jsonl');
    const stopped = await start(parts, path, 2);
    expect(stopped.result.status).toBe('cancelled');
    const resumed = await shippedRefinery.run({
      cwd: REPO_ROOT,
      resume: { trajectoryPath: path },
      env: {},
      models: stopped.counted.models,
      progress: silentProgress,
    });
    expect(resumed.status, resumed.summary).toBe(uninterrupted.result.status);
    expect(portable(resumed.result, parts.scratch)).toEqual(portable(uninterrupted.result.result, whole.scratch));
    expect(stopped.counted.calls()).toBe(uninterrupted.counted.calls());
    const events = readTrajectory(path).events;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type);
    expect(types.indexOf('resume')).toBeGreaterThan(types.indexOf('final'));
    expect(types.at(-1)).toBe('final');
  });
});

describe('resume of repo when its worktree was changed by hand', () => {
  const repo = shippedRefinery.pipelines.get('repo');
  it.runIf(repo?.example)('is refused, naming the worktree and what changed; once undone, it resumes', async () => {
    const parts = await prepare(repo!);
    const path = join(parts.scratch, 'run.jsonl');
    const stopped = await start(parts, path, 2);
    expect(stopped.result.status).toBe('cancelled');
    const worktree = (stopped.result.result as { worktree: string }).worktree;
    writeFileSync(join(worktree, 'NOTES.txt'), 'edited by hand\n');
    const refused = await shippedRefinery.run({
      cwd: REPO_ROOT,
      resume: { trajectoryPath: path },
      env: {},
      models: stopped.counted.models,
    });
    expect(refused.status).toBe('invalid-input');
    expect(refused.error).toBeInstanceOf(ResumeError);
    expect(refused.summary).toMatch(/worktree .* has changes the run did not make \(NOTES\.txt\).*changed by hand/);
    rmSync(join(worktree, 'NOTES.txt'));
    const resumed = await shippedRefinery.run({
      cwd: REPO_ROOT,
      resume: { trajectoryPath: path },
      env: {},
      models: stopped.counted.models,
      progress: silentProgress,
    });
    expect(resumed.status, resumed.summary).toBe('passed');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Refinery } from '../runtime/create-refinery.ts';
import type { AnyPipelineDefinition } from '../runtime/pipeline-definition.ts';
import type { PipelineExampleInputs } from '../runtime/pipeline-example.ts';
import { silentProgress } from '../runtime/progress-reporter.ts';
import type { RunPipelineResult } from '../runtime/run-pipeline.ts';
import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import { readTrajectory } from '../trajectory/trajectory-reader.ts';
import { buildViewPage } from '../view/build-view.ts';
import { ExampleModelClient } from './example-model-client.ts';

export interface PipelineConformanceOptions {
  /** Directory the examples' relative config paths resolve against (the project root). */
  projectRoot: string;
  /** Result keys that legitimately differ between a run and its replay (a replay works on its own branch). */
  volatileResultKeys?: Record<string, readonly string[]>;
  /** Per-test timeout in ms (examples execute real programs); default 60 s. */
  timeoutMs?: number;
}

/**
 * The record/replay suite every registered pipeline must pass, from the example it declares:
 * - a run from the example's recorded replies ends without error, and its result passes the result schema;
 * - replaying that trajectory with recorded executions (`refinery replay --exec recorded`) sends the same
 *   model requests, answers the same steps, visits the same nodes and ends with the same status and result;
 * - a budget stop before the example's last model call ends `exhausted:calls` with a partial result that
 *   passes the schema, written to the final event (so an example must make at least two calls).
 * A pipeline gets these tests by being in the registry: there is nothing to write but its `example`.
 */
export function describePipelineConformance(refinery: Refinery, options: PipelineConformanceOptions): void {
  const timeout = options.timeoutMs ?? 60_000;
  // each example's scratch folder (its repositories, worktrees and trajectories) goes when the suite ends
  const scratchDirs: string[] = [];
  afterAll(() => {
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });
  const prepare = async (definition: AnyPipelineDefinition) => {
    const prepared = await prepareExample(definition);
    scratchDirs.push(prepared.scratch);
    return prepared;
  };
  for (const definition of refinery.pipelines.all()) {
    describe(`pipeline '${definition.name}' conformance`, () => {
      it('declares an example run', () => {
        expect(
          definition.example,
          `pipeline '${definition.name}' must declare an example (see docs/adding-a-pipeline.md)`,
        ).toBeDefined();
      });

      it('records a run from its example and replays it exactly with recorded executions', { timeout }, async () => {
        const { scratch, inputs } = await prepare(definition);
        const live = await runExample(refinery, options, inputs, join(scratch, 'live.jsonl'));
        expect(live.status, `${definition.name}: ${live.summary}`).not.toBe('error');
        expect(() => definition.resultSchema.parse(live.result)).not.toThrow();

        const replay = await refinery.run({
          cwd: options.projectRoot,
          replay: { trajectoryPath: live.trajectoryPath!, exec: 'recorded', onDivergence: 'stop' },
          trajectoryPath: join(scratch, 'replay.jsonl'),
          progress: silentProgress,
        });
        expect(replay.status, `${definition.name} replay: ${replay.summary}`).toBe(live.status);
        const volatile = options.volatileResultKeys?.[definition.name] ?? [];
        expect(withoutKeys(replay.result, volatile)).toEqual(withoutKeys(live.result, volatile));

        const recorded = readTrajectory(live.trajectoryPath!).events;
        const replayed = readTrajectory(replay.trajectoryPath!).events;
        expect(skeleton(replayed)).toEqual(skeleton(recorded));
        expect(modelRequests(replayed)).toEqual(modelRequests(recorded));
        expect(executionKeys(replayed)).toEqual(executionKeys(recorded));
        // `refinery view A B` aligns the two runs step by step and finds every step the same.
        const view = buildViewPage([live.trajectoryPath!, replay.trajectoryPath!]);
        expect(view.kind === 'compare' && view.comparison.rows.filter((r) => !r.same)).toEqual([]);
      });

      it('stops at a budget before its last model call, with a partial result that passes its schema', {
        timeout,
      }, async () => {
        const { scratch, inputs } = await prepare(definition);
        const full = await runExample(refinery, options, inputs, join(scratch, 'full.jsonl'));
        const calls = readTrajectory(full.trajectoryPath!).events.filter((e) => e.type === 'model_call').length;
        expect(
          calls,
          `the example of '${definition.name}' must make at least two model calls, so a budget can stop it half way`,
        ).toBeGreaterThanOrEqual(2);
        const set = [...(inputs.set ?? []), `budgets.modelCalls=${calls - 1}`];
        const run = await runExample(refinery, options, { ...inputs, set }, join(scratch, 'budget.jsonl'));
        expect(run.status, `${definition.name}: ${run.summary}`).toBe('exhausted:calls');
        expect(run.result).not.toBeNull();
        expect(() => definition.resultSchema.parse(run.result)).not.toThrow();
        const final = readTrajectory(run.trajectoryPath!).events.at(-1);
        expect(final?.type === 'final' ? final.result : undefined).toEqual(run.result);
      });
    });
  }
}

async function prepareExample(
  definition: AnyPipelineDefinition,
): Promise<{ scratch: string; inputs: PipelineExampleInputs }> {
  if (!definition.example) throw new Error(`pipeline '${definition.name}' declares no example`);
  const scratch = mkdtempSync(join(tmpdir(), `refinery-conformance-${definition.name}-`));
  return { scratch, inputs: await definition.example.prepare(scratch) };
}

async function runExample(
  refinery: Refinery,
  options: PipelineConformanceOptions,
  inputs: PipelineExampleInputs,
  trajectoryPath: string,
): Promise<RunPipelineResult> {
  const configPath = isAbsolute(inputs.config) ? inputs.config : resolve(options.projectRoot, inputs.config);
  const loaded = await refinery.loadConfig(configPath, { set: inputs.set ?? [], env: {} });
  const client = new ExampleModelClient(inputs.replies);
  return refinery.run({
    cwd: options.projectRoot,
    configPath,
    set: inputs.set ?? [],
    env: {},
    task: inputs.task,
    models: Object.fromEntries(Object.keys(loaded.config.models).map((name) => [name, client])),
    trajectoryPath,
    progress: silentProgress,
  });
}

/** Node visits and event kinds, in order: what a replay must repeat. */
function skeleton(events: TrajectoryEvent[]): string[] {
  return events
    .filter((e) => e.type !== 'header' && e.type !== 'budget')
    .map((e) => `${e.type}:${'node' in e ? (e.node ?? '') : ''}`);
}

function modelRequests(events: TrajectoryEvent[]): unknown[] {
  return events.flatMap((e) => (e.type === 'model_call' ? [e.request] : []));
}

function executionKeys(events: TrajectoryEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'execution' ? [`${e.kind}:${e.key}`] : []));
}

function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (value === null || typeof value !== 'object' || keys.length === 0) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

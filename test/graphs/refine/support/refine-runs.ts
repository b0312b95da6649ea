import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createExecutor } from '../../../../src/execution/create-executor.ts';
import type { Executor } from '../../../../src/execution/execution-types.ts';
import type { ModelClient } from '../../../../src/models/model-types.ts';
import type { RunPipelineOptions, RunPipelineResult } from '../../../../src/runtime/run-pipeline.ts';
import type { TrajectoryEvent } from '../../../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../../../src/trajectory/trajectory-reader.ts';
import { shippedRefinery } from '../../../support/shipped-refinery.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

let sharedExecutor: Executor | undefined;
/** The real execution engine, shared by a test file's runs. */
export function executor(): Executor {
  sharedExecutor ??= createExecutor({ sandbox: 'auto', onWarning: () => {} });
  return sharedExecutor;
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'refinery-refine-'));
}

/** A live refine run of a shipped task with scripted models (model key `default` of configs/refine.yaml). */
export async function runRefine(
  model: ModelClient,
  opts: { task?: string; set?: string[]; trajectoryPath?: string | null } & Partial<RunPipelineOptions> = {},
): Promise<RunPipelineResult & { events: TrajectoryEvent[] }> {
  const trajectoryPath = opts.trajectoryPath === undefined ? join(scratchDir(), 'run.jsonl') : opts.trajectoryPath;
  const result = await shippedRefinery.run({
    configPath: 'configs/refine.yaml',
    taskFile: opts.task ?? 'fixtures/tasks/running-max.json',
    cwd: REPO_ROOT,
    env: { ...process.env, OPENAI_API_KEY: '' },
    models: { default: model },
    executor: executor(),
    onWarning: () => {},
    ...opts,
    set: opts.set ?? [],
    trajectoryPath,
  });
  const events = trajectoryPath ? readTrajectory(trajectoryPath).events : [];
  return { ...result, events };
}

export function readTask(file: string): { visibleTests: string[]; prompt: string; entryPoint: string } {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, file), 'utf8'));
}

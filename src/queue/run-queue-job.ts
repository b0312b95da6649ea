import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BatchResultRow } from '../batch/batch-results.ts';
import { validateBatchTask } from '../batch/batch-tasks.ts';
import { endedRow, finalSummary, readEnding, rowOf } from '../batch/run-batch.ts';
import { RefineryError } from '../errors/refinery-error.ts';
import type { Refinery } from '../runtime/create-refinery.ts';
import { EXIT_CODES, type ExitStatus } from '../runtime/exit-status.ts';
import type { AnyPipelineDefinition } from '../runtime/pipeline-definition.ts';
import type { ProgressReporter } from '../runtime/progress-reporter.ts';
import type { RunPipelineOptions, RunPipelineResult } from '../runtime/run-pipeline.ts';
import { TaskError } from '../runtime/task-error.ts';
import type { RunStore } from '../store/run-store.ts';
import type { FinalEvent } from '../trajectory/trajectory-events.ts';
import { type JobPayload, jobIdOf } from './job-payload.ts';

export interface QueueJobOptions {
  refinery: Pick<Refinery, 'pipelines' | 'run' | 'loadConfig'>;
  /** The run store of a job submitted with `--store` (opened by the worker); none: the batch directory. */
  store?: RunStore;
  /** Aborts the run (the worker is stopping): it ends `cancelled`, keeps its checkpoint, and the job is released. */
  signal: AbortSignal;
  /**
   * The worker is stopping: the run ends at its next step boundary (the running nodes finish, their model calls
   * answered and recorded), keeps its checkpoint, and the job is released; `signal` cuts it off at once.
   */
  stopAfterStep?: AbortSignal;
  /**
   * The batch's budget is spent (the submitter said so): the run ends at its next step boundary, keeps its checkpoint,
   * and its row (status `cancelled`, as a local batch's running task) is the job's result.
   */
  batchStopped?: AbortSignal;
  /** The run's progress (its totals, for a batch with a whole-batch budget). */
  progress?: ProgressReporter;
  runOptions?: Pick<RunPipelineOptions, 'models' | 'executor' | 'env' | 'onWarning'>;
  /**
   * This is the job's first start, and it came with a new batch (`payload.fresh`): no run of it exists, so the store
   * is not asked (`RunStore.runState`'s `firstStart`).
   */
  firstStart?: boolean;
}

/** How a job ended on this worker: a results row, a refusal (the task is bad: never retried), or released. */
export type QueueJobOutcome =
  | { kind: 'row'; row: BatchResultRow }
  | { kind: 'refused'; status: ExitStatus; message: string }
  | { kind: 'released' };

/**
 * Runs one task of a queued batch, or continues it: a task whose trajectory has a header but no final event (its
 * worker was killed, or stopped) is resumed from its checkpoint, like `refinery resume` (answered model calls come
 * from the trajectory, never sent again); one whose run ended only needs its row; else it starts, with the job id as
 * its run id. Any registered pipeline, through its contract: the config's `graph:` names it.
 */
export async function runQueueJob(payload: JobPayload, options: QueueJobOptions): Promise<QueueJobOutcome> {
  const cwd = existsSync(payload.cwd) ? payload.cwd : process.cwd();
  const env = options.runOptions?.env ?? process.env;
  // Workers read the config from the same path (a shared checkout or filesystem): it must be the one submitted.
  const here = existsSync(payload.config.path) ? readFileSync(payload.config.path, 'utf8') : undefined;
  if (here !== payload.config.text)
    return refused(
      new TaskError(
        payload.config.path,
        '',
        here === undefined
          ? 'not found on this worker (workers need the project at the path it was submitted from)'
          : 'differs on this worker from the config the batch was submitted with',
      ),
    );
  let graph: string;
  try {
    graph = await graphOf(options.refinery, payload, env);
  } catch (error) {
    return refused(error);
  }
  const definition = options.refinery.pipelines.get(graph)!;
  if (options.store) return runInStore(payload, options, options.store, definition, cwd);
  const trajectoryPath = join(payload.batchDir, 'trajectories', `${payload.taskId}.jsonl`);
  const trajectory = relative(payload.batchDir, trajectoryPath);
  const entry = { index: payload.index, id: payload.taskId, source: payload.source };
  const previous = readEnding(trajectoryPath);
  if (previous.final && previous.final.status !== 'cancelled' && previous.final.error?.name !== 'ResumeError')
    return { kind: 'row', row: rowOf(entry, previous.final, trajectory, (f) => finalSummary(definition, f)) };
  let task: unknown;
  if (!previous.header) {
    const checked = validateBatchTask(payload.source, payload.task, definition.taskSchema);
    if (checked.error !== undefined) return { kind: 'refused', status: 'invalid-input', message: checked.error };
    task = checked.task;
  }
  mkdirSync(join(payload.batchDir, 'trajectories'), { recursive: true });
  let result: Awaited<ReturnType<QueueJobOptions['refinery']['run']>>;
  try {
    result = await options.refinery.run({
      ...options.runOptions,
      cwd,
      signal: options.signal,
      ...stepStop(options),
      ...(previous.header
        ? { resume: { trajectoryPath } }
        : {
            configPath: payload.config.path,
            set: payload.config.set,
            task,
            trajectoryPath,
            runId: jobIdOf(payload.batchId, payload.taskId),
          }),
    });
  } catch (error) {
    if (stopping(options)) return { kind: 'released' };
    return refused(error);
  }
  if (result.status === 'cancelled' && stopping(options)) return { kind: 'released' };
  return endedRunRow(entry, readEnding(trajectoryPath).final, trajectory, definition, result);
}

/**
 * The pipeline a job's config names (`graph:`), its config loaded and checked once per config text, `--set`s and
 * environment in this worker (a batch's jobs share them; the run loads the config again, as a local run does): a YAML
 * parse and a schema check less per job.
 */
const graphs = new WeakMap<object, WeakMap<object, Map<string, string>>>();
async function graphOf(
  refinery: QueueJobOptions['refinery'],
  payload: JobPayload,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const byEnv = graphs.get(refinery) ?? new WeakMap<object, Map<string, string>>();
  graphs.set(refinery, byEnv);
  const known = byEnv.get(env) ?? new Map<string, string>();
  byEnv.set(env, known);
  const key = JSON.stringify([payload.config.path, payload.config.text, payload.config.set]);
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const loaded = await refinery.loadConfig(payload.config.path, { set: payload.config.set, env });
  if (known.size >= 64) known.clear();
  known.set(key, loaded.config.graph);
  return loaded.config.graph;
}

/**
 * The same with a run store (`--store postgres://...`): the run's trajectory and checkpoints are in the store
 * under the job id, so a worker on any machine continues it; the row's `trajectory` is that run id.
 */
async function runInStore(
  payload: JobPayload,
  options: QueueJobOptions,
  store: RunStore,
  definition: AnyPipelineDefinition,
  cwd: string,
): Promise<QueueJobOutcome> {
  const runId = jobIdOf(payload.batchId, payload.taskId);
  const entry = { index: payload.index, id: payload.taskId, source: payload.source };
  // The row comes from the run's final event alone (one row, or none to read for the run this worker just ended).
  const finalOf = () => store.finalEvent(runId);
  const state = await store.runState(runId, options.firstStart === true && payload.fresh === true);
  if (state !== 'none' && state !== 'unfinished') {
    const final = await finalOf();
    if (final) return { kind: 'row', row: rowOf(entry, final, runId, (f) => finalSummary(definition, f)) };
  }
  let task: unknown;
  if (state === 'none') {
    const checked = validateBatchTask(payload.source, payload.task, definition.taskSchema);
    if (checked.error !== undefined) return { kind: 'refused', status: 'invalid-input', message: checked.error };
    task = checked.task;
  }
  let result: Awaited<ReturnType<QueueJobOptions['refinery']['run']>>;
  try {
    result = await options.refinery.run({
      ...options.runOptions,
      cwd,
      signal: options.signal,
      ...stepStop(options),
      store,
      ...(state === 'none'
        ? { configPath: payload.config.path, set: payload.config.set, task, runId }
        : { resume: { runId } }),
    });
  } catch (error) {
    if (stopping(options)) return { kind: 'released' };
    return refused(error);
  }
  if (result.status === 'cancelled' && stopping(options)) return { kind: 'released' };
  return endedRunRow(entry, await finalOf(), runId, definition, result);
}

/**
 * A run refused before it started: bad input (a Refinery error with status `invalid-input`, e.g. a worktree changed
 * by hand, a config that does not load) is the task's fault and is never retried; anything else is thrown, so BullMQ
 * retries it (`queue.attempts`).
 */
function refused(error: unknown): QueueJobOutcome {
  if (RefineryError.isInstance(error) && error.exitStatus === 'invalid-input')
    return { kind: 'refused', status: 'invalid-input', message: error.message };
  throw error;
}

/** The results row of a refused task (never ran, or refused at start), as the local batch writes it. */
export function refusedRow(
  payload: Pick<JobPayload, 'index' | 'taskId' | 'source' | 'batchDir'>,
  status: string,
  message: string,
): BatchResultRow {
  const trajectoryPath = join(payload.batchDir, 'trajectories', `${payload.taskId}.jsonl`);
  return {
    index: payload.index,
    id: payload.taskId,
    source: payload.source,
    status,
    exitCode: EXIT_CODES[status as ExitStatus] ?? EXIT_CODES.error,
    summary: message,
    result: null,
    totals: null,
    trajectory: existsSync(trajectoryPath) ? relative(payload.batchDir, trajectoryPath) : null,
  };
}

/** The worker is stopping (at once, or at the run's next step). */
function stopping(options: QueueJobOptions): boolean {
  return options.signal.aborted || options.stopAfterStep?.aborted === true;
}

/** The run's `stopAfterStep` and `progress`: the worker stopping, or the batch's budget spent. */
function stepStop(options: QueueJobOptions): Pick<RunPipelineOptions, 'stopAfterStep' | 'progress'> {
  const signals = [options.stopAfterStep, options.batchStopped].filter((s): s is AbortSignal => s !== undefined);
  return {
    ...(signals.length > 0 ? { stopAfterStep: signals.length === 1 ? signals[0]! : AbortSignal.any(signals) } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  };
}

/** The row of a run that ended here, as a local batch makes it. */
function endedRunRow(
  entry: Pick<BatchResultRow, 'index' | 'id' | 'source'>,
  final: FinalEvent | undefined,
  trajectory: string,
  definition: AnyPipelineDefinition,
  result: Pick<RunPipelineResult, 'status' | 'exitCode' | 'summary' | 'result'>,
): QueueJobOutcome {
  return { kind: 'row', row: endedRow(entry, final, trajectory, (f) => finalSummary(definition, f), result) };
}

import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Refinery } from '../runtime/create-refinery.ts';
import { EXIT_CODES, type ExitStatus } from '../runtime/exit-status.ts';
import type { AnyPipelineDefinition } from '../runtime/pipeline-definition.ts';
import type { ProgressReporter } from '../runtime/progress-reporter.ts';
import type { RunPipelineOptions, RunPipelineResult } from '../runtime/run-pipeline.ts';
import { TaskError } from '../runtime/task-error.ts';
import type { BudgetTotals, FinalEvent } from '../trajectory/trajectory-events.ts';
import { readBatchManifest, writeBatchManifest } from './batch-manifest.ts';
import { appendResultRow, type BatchResultRow, readResultRows, writeResultRows } from './batch-results.ts';
import { type BatchTaskEntry, loadBatchTasks } from './batch-tasks.ts';
import { runTaskPool } from './run-task-pool.ts';

/** Limits on the whole batch, over every task's spending (each task also has the config's own `budgets`). */
export interface BatchBudget {
  costUsd?: number;
  tokens?: number;
  wallSeconds?: number;
}

export interface BatchProgressState {
  total: number;
  /** Tasks with a row: finished, reported as invalid, or cancelled. */
  done: number;
  /** Done and not passed. */
  failed: number;
  running: number;
  costUsd: number;
  elapsedMs: number;
  /** Estimated time left, from the finished tasks' mean time and the concurrency; undefined before one finished. */
  etaMs: number | undefined;
  /** The row just written, if this update is for one. */
  row?: BatchResultRow;
}

export interface RunBatchOptions {
  refinery: Pick<Refinery, 'pipelines' | 'run' | 'loadConfig'>;
  /** A new batch: the pipeline config, its `--set`s and the tasks (file or directory). */
  configPath?: string;
  set?: string[];
  tasksPath?: string;
  /** The batch directory: `batch.json`, `results.jsonl`, `trajectories/<task>.jsonl`. */
  outDir: string;
  /** Continue the batch in `outDir`: finished tasks are skipped, interrupted ones resumed, the rest run. */
  resume?: boolean;
  concurrency?: number;
  budget?: BatchBudget;
  signal?: AbortSignal;
  cwd?: string;
  onProgress?: (state: BatchProgressState) => void;
  /** Passed to every task's run (tests: models, executor, env). */
  runOptions?: Pick<RunPipelineOptions, 'models' | 'executor' | 'env' | 'onWarning'>;
}

export type BatchStatus = Extract<
  ExitStatus,
  | 'passed'
  | 'failed'
  | 'invalid-input'
  | 'error'
  | 'cancelled'
  | 'exhausted:cost'
  | 'exhausted:tokens'
  | 'exhausted:time'
>;

export interface BatchOutcome {
  status: BatchStatus;
  exitCode: number;
  rows: BatchResultRow[];
  outDir: string;
  resultsPath: string;
  /** Tasks never started (the batch was stopped before them). */
  notStarted: number;
  /** Why the batch stopped early, if it did. */
  stopped?: string;
}

const RESULTS_FILE = 'results.jsonl';

/** What a batch runs on, local or queued: a new batch's flags, or those its `batch.json` kept (`--resume`). */
export function batchInputs(options: {
  cwd?: string;
  outDir: string;
  resume?: boolean;
  configPath?: string;
  tasksPath?: string;
  set?: string[];
}) {
  const cwd = options.cwd ?? process.cwd();
  const outDir = resolve(cwd, options.outDir);
  const manifest = options.resume ? readBatchManifest(outDir) : undefined;
  if (!options.resume && existsSync(join(outDir, 'batch.json')))
    throw new TaskError(outDir, '', 'already holds a batch; continue it with --resume, or choose another --out');
  const configPath = manifest?.config ?? (options.configPath ? resolve(cwd, options.configPath) : undefined);
  const tasksPath = manifest?.tasks ?? (options.tasksPath ? resolve(cwd, options.tasksPath) : undefined);
  const set = manifest?.set ?? options.set ?? [];
  if (!configPath) throw new TaskError('refinery batch', 'CONFIG', 'a pipeline config file is required');
  if (!tasksPath) throw new TaskError('refinery batch', '--tasks', 'a task file or directory is required');
  return { cwd, outDir, manifest, configPath, tasksPath, set };
}

/**
 * Runs one pipeline over a task set, `concurrency` tasks at a time, one trajectory per task, and a results table
 * written row by row as tasks end. Works for every registered pipeline through its contract: the config's
 * `graph:` names it, its `taskSchema` validates each task, and `runPipeline` runs it. A task that does not
 * validate is reported (a row, status `invalid-input`) and the others run. Stopping (the signal, or a whole-batch
 * budget) cancels the running tasks, which end with their partial results (rows with status `cancelled`, their
 * checkpoints kept); `resume` continues them.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchOutcome> {
  const { cwd, outDir, manifest, configPath, tasksPath, set } = batchInputs(options);

  const loaded = await options.refinery.loadConfig(configPath, {
    set,
    ...(options.runOptions?.env ? { env: options.runOptions.env } : {}),
  });
  const definition = options.refinery.pipelines.get(loaded.config.graph)!;
  const entries = loadBatchTasks(tasksPath, definition.taskSchema, cwd);
  const summaryOf = (final: FinalEvent) => finalSummary(definition, final);

  mkdirSync(join(outDir, 'trajectories'), { recursive: true });
  if (!manifest)
    writeBatchManifest(outDir, {
      version: 1,
      config: configPath,
      set,
      tasks: tasksPath,
      pipeline: definition.name,
      createdAt: new Date().toISOString(),
    });
  const resultsPath = join(outDir, RESULTS_FILE);
  const rows = new Map<string, BatchResultRow>(readResultRows(resultsPath).map((row) => [row.id, row]));
  const finished = (row: BatchResultRow | undefined) => row !== undefined && row.status !== 'cancelled';

  const started = Date.now();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const running = new Map<string, BudgetTotals | undefined>();
  const finishedWallMs: number[] = [];
  const stop = new AbortController();
  let stopped: string | undefined;
  let exhausted: BatchStatus | undefined;
  const stopBatch = (reason: string, status?: BatchStatus) => {
    if (stop.signal.aborted) return;
    stopped = reason;
    exhausted = status;
    stop.abort(reason);
  };
  const onAbort = () => stopBatch(String(options.signal?.reason ?? 'interrupted'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const wallMs = (options.budget?.wallSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const wallTimer = Number.isFinite(wallMs)
    ? setTimeout(
        () => stopBatch(`batch budget: wall time ${options.budget!.wallSeconds} s reached`, 'exhausted:time'),
        wallMs,
      )
    : undefined;

  const spent = () => {
    let costUsd = 0;
    let tokens = 0;
    const add = (t: BudgetTotals | null | undefined) => {
      if (!t) return;
      costUsd += t.costUsd;
      tokens += t.inputTokens + t.outputTokens;
    };
    for (const row of rows.values()) add(row.totals);
    for (const totals of running.values()) add(totals);
    return { costUsd, tokens };
  };
  const checkBudget = () => {
    const { costUsd, tokens } = spent();
    const limit = options.budget ?? {};
    if (limit.costUsd !== undefined && costUsd >= limit.costUsd)
      stopBatch(`batch budget: $${costUsd.toFixed(4)} of $${limit.costUsd} spent`, 'exhausted:cost');
    else if (limit.tokens !== undefined && tokens >= limit.tokens)
      stopBatch(`batch budget: ${tokens} of ${limit.tokens} tokens spent`, 'exhausted:tokens');
  };
  const report = (row?: BatchResultRow) => {
    if (!options.onProgress) return;
    const done = [...rows.values()];
    const mean = finishedWallMs.length ? finishedWallMs.reduce((a, b) => a + b, 0) / finishedWallMs.length : undefined;
    const left = entries.length - done.length;
    options.onProgress({
      total: entries.length,
      done: done.length,
      failed: done.filter((r) => r.status !== 'passed').length,
      running: running.size,
      costUsd: spent().costUsd,
      elapsedMs: Date.now() - started,
      etaMs: mean === undefined ? undefined : (mean * Math.max(0, left)) / concurrency,
      ...(row ? { row } : {}),
    });
  };
  const record = (row: BatchResultRow) => {
    rows.set(row.id, row);
    appendResultRow(resultsPath, row);
    if (row.totals && row.status !== 'cancelled') finishedWallMs.push(row.totals.wallMs);
    checkBudget();
    report(row);
  };

  // Bad tasks are reported first (a row each); finished tasks are kept; the rest queue up.
  const queue: BatchTaskEntry[] = [];
  for (const entry of entries) {
    if (finished(rows.get(entry.id))) continue;
    if (entry.error !== undefined)
      record({
        index: entry.index,
        id: entry.id,
        source: entry.source,
        status: 'invalid-input',
        exitCode: EXIT_CODES['invalid-input'],
        summary: entry.error,
        result: null,
        totals: null,
        trajectory: null,
      });
    else queue.push(entry);
  }
  checkBudget();
  report();

  const runTask = async (entry: BatchTaskEntry) => {
    const trajectoryPath = join(outDir, 'trajectories', `${entry.id}.jsonl`);
    const trajectory = relative(outDir, trajectoryPath);
    const previous = readEnding(trajectoryPath);
    // A run that ended (not cancelled, not a refused resume) needs only its row.
    if (previous.final && previous.final.status !== 'cancelled' && previous.final.error?.name !== 'ResumeError') {
      // Killed after the run ended but before its row was written: the trajectory has the row.
      record(rowOf(entry, previous.final, trajectory, summaryOf));
      return;
    }
    running.set(entry.id, undefined);
    report();
    const progress: ProgressReporter = {
      update: (state) => {
        if (state.totals) {
          running.set(entry.id, state.totals);
          checkBudget();
        }
      },
      finish() {},
    };
    let result: RunPipelineResult;
    try {
      result = await options.refinery.run({
        ...options.runOptions,
        cwd,
        signal: stop.signal,
        progress,
        ...(previous.header ? { resume: { trajectoryPath } } : { configPath, set, task: entry.task, trajectoryPath }),
      });
    } catch (error) {
      // Refused before it started (e.g. a worktree changed by hand): reported like a bad task, the others run.
      running.delete(entry.id);
      const err = error as Error & { exitStatus?: string };
      const status = (err.exitStatus as ExitStatus | undefined) ?? 'error';
      record({
        index: entry.index,
        id: entry.id,
        source: entry.source,
        status,
        exitCode: EXIT_CODES[status] ?? EXIT_CODES.error,
        summary: err.message,
        result: null,
        totals: null,
        trajectory: existsSync(trajectoryPath) ? trajectory : null,
      });
      return;
    }
    running.delete(entry.id);
    record(endedRow(entry, readEnding(trajectoryPath).final, trajectory, summaryOf, result));
  };

  try {
    await runTaskPool({ tasks: queue, concurrency, signal: stop.signal, run: runTask });
  } finally {
    clearTimeout(wallTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  const all = [...rows.values()].sort((a, b) => a.index - b.index);
  writeResultRows(resultsPath, all);
  const notStarted = entries.length - all.length;
  const status = batchStatus(all, exhausted, stopped !== undefined && exhausted === undefined);
  return {
    status,
    exitCode: EXIT_CODES[status],
    rows: all,
    outDir,
    resultsPath,
    notStarted,
    ...(stopped !== undefined ? { stopped } : {}),
  };
}

/**
 * The batch's status (its exit code is that status's, README "Exit statuses"), first that applies: `cancelled`
 * (130) when stopped by the caller; `exhausted:*` when a whole-batch budget stopped it; `invalid-input` (2) when a
 * task did not validate or was refused (the others ran); `error` (3) when a task ended in an error; `failed` (1)
 * when a task did not pass; else `passed` (0).
 */
export function batchStatus(
  rows: BatchResultRow[],
  exhausted: BatchStatus | undefined,
  cancelled: boolean,
): BatchStatus {
  if (cancelled) return 'cancelled';
  if (exhausted) return exhausted;
  if (rows.some((r) => r.status === 'invalid-input')) return 'invalid-input';
  if (rows.some((r) => r.status === 'error')) return 'error';
  if (rows.some((r) => r.status !== 'passed')) return 'failed';
  return 'passed';
}

/** A row's summary, from the final event alone (so a task recovered from its trajectory reads the same). */
export function finalSummary(definition: AnyPipelineDefinition, final: FinalEvent): string {
  if (final.error) return final.error.message;
  const parsed = definition.resultSchema.safeParse(final.result);
  return parsed.success && final.result !== null ? definition.progressLine(parsed.data) : final.status;
}

/** The results row of a task whose run ended, from its final event. */
export function rowOf(
  entry: BatchTaskEntry,
  final: FinalEvent,
  trajectory: string,
  summaryOf: (final: FinalEvent) => string,
): BatchResultRow {
  return {
    index: entry.index,
    id: entry.id,
    source: entry.source,
    status: final.status,
    exitCode: final.exitCode,
    summary: summaryOf(final),
    result: final.result ?? null,
    totals: final.totals,
    trajectory,
  };
}

/** The row of a task whose run ended: from its final event, or from the run's result when none was written. */
export function endedRow(
  entry: BatchTaskEntry,
  final: FinalEvent | undefined,
  trajectory: string,
  summaryOf: (final: FinalEvent) => string,
  result: Pick<RunPipelineResult, 'status' | 'exitCode' | 'summary' | 'result'>,
): BatchResultRow {
  if (final) return rowOf(entry, final, trajectory, summaryOf);
  return {
    index: entry.index,
    id: entry.id,
    source: entry.source,
    status: result.status,
    exitCode: result.exitCode,
    summary: result.summary,
    result: result.result,
    totals: null,
    trajectory,
  };
}

/** The header and final event of a task's trajectory, when it has them (a torn last line is ignored). */
export function readEnding(path: string): { header: boolean; final?: FinalEvent } {
  if (!existsSync(path)) return { header: false };
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines[0]?.includes('"type":"header"') === true && lines.length > 1;
  if (!header) {
    // Killed before its header was complete: nothing to resume, start it over.
    rmSync(path, { force: true });
    return { header: false };
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      const event = JSON.parse(line) as { type?: string };
      return { header, ...(event.type === 'final' ? { final: event as FinalEvent } : {}) };
    } catch {
      // a torn last line: look at the one before
    }
  }
  return { header };
}

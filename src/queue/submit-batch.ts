import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KeepJobs, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { writeBatchManifest } from '../batch/batch-manifest.ts';
import {
  appendResultRow,
  type BatchResultRow,
  batchResultRow,
  readResultRows,
  writeResultRows,
} from '../batch/batch-results.ts';
import { loadBatchTasks } from '../batch/batch-tasks.ts';
import {
  type BatchBudget,
  type BatchOutcome,
  type BatchProgressState,
  type BatchStatus,
  batchInputs,
  batchStatus,
} from '../batch/run-batch.ts';
import { type QueueConfig, queueConfigSchema } from '../config/pipeline-config-schema.ts';
import type { Refinery } from '../runtime/create-refinery.ts';
import { EXIT_CODES } from '../runtime/exit-status.ts';
import { newRunId } from '../runtime/run-id.ts';
import { TaskError } from '../runtime/task-error.ts';
import type { BudgetTotals } from '../trajectory/trajectory-events.ts';
import { type JobPayload, jobIdOf, parseFailureReason } from './job-payload.ts';
import { batchStopKey, connectionOf, type QueueAddress, settingsKey } from './queue-connection.ts';
import { refusedRow } from './run-queue-job.ts';

export interface SubmitBatchOptions {
  refinery: Pick<Refinery, 'pipelines' | 'loadConfig'>;
  address: QueueAddress;
  /** A new batch: the pipeline config, its `--set`s and the tasks (file or directory). */
  configPath?: string;
  set?: string[];
  tasksPath?: string;
  /**
   * The run store the workers keep the runs in (`--store postgres://...`): any worker continues any run, and the
   * rows name run ids; none: the batch directory's `trajectories/`, which the workers must share.
   */
  store?: string;
  /** The batch directory (`batch.json`, `results.jsonl`, `trajectories/`), shared with the workers. */
  outDir: string;
  /** Continue the batch in `outDir`: its finished tasks are kept, the others submitted again (nothing twice). */
  resume?: boolean;
  /** Stops following (the jobs stay on the queue and go on; `--resume` follows them again). */
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (state: BatchProgressState) => void;
  /**
   * Whole-batch limits (`--max-cost-usd`, `--max-tokens`, `--max-wall-seconds`), as a local batch's: the ended rows'
   * totals and the running jobs' (their progress) are summed; once one is reached, the batch's waiting jobs are
   * removed (not run), its running tasks end at their next step boundary (rows `cancelled`, checkpoints kept), and the
   * batch's status is `exhausted:*`.
   */
  budget?: BatchBudget;
  /**
   * Milliseconds between sweeps over every pending job's state (default 30 s): what the queue's events cannot tell
   * (a job lost with Redis's data). There is one at the start and after a lost connection too.
   */
  pollMs?: number;
}

const RESULTS_FILE = 'results.jsonl';

/**
 * `refinery batch CONFIG --tasks T --queue URL`: adds one job per task to the BullMQ queue (job id
 * `<batchId>.<taskId>`, so submitting a batch again adds nothing twice), follows them through the queue's events
 * (and a poll, which also catches what happened while it was away), and writes the same results table as a local
 * batch (`src/batch/run-batch.ts`), row by row as tasks end. Tasks are parsed here and validated by the worker with
 * its pipeline's task schema: a bad task fails once (status `invalid-input`) and the others go on.
 */
export async function submitBatch(options: SubmitBatchOptions): Promise<BatchOutcome> {
  const { cwd, outDir, manifest, configPath, tasksPath, set } = batchInputs(options);
  if (manifest && manifest.id === undefined)
    throw new TaskError(join(outDir, 'batch.json'), 'id', 'a local batch: resume it without --queue');
  const loaded = await options.refinery.loadConfig(configPath, { set, ...(options.env ? { env: options.env } : {}) });
  const definition = options.refinery.pipelines.get(loaded.config.graph)!;
  const settings = loaded.config.queue ?? queueConfigSchema.parse({});
  const entries = loadBatchTasks(tasksPath, z.unknown(), cwd);
  const batchId = manifest?.id ?? newRunId();
  const store = manifest?.store ?? options.store;

  mkdirSync(join(outDir, 'trajectories'), { recursive: true });
  if (!manifest)
    writeBatchManifest(outDir, {
      version: 1,
      config: configPath,
      set,
      tasks: tasksPath,
      pipeline: definition.name,
      createdAt: new Date().toISOString(),
      id: batchId,
      queue: options.address.url,
      ...(store !== undefined ? { store } : {}),
    });
  const resultsPath = join(outDir, RESULTS_FILE);
  const rows = new Map<string, BatchResultRow>(readResultRows(resultsPath).map((row) => [row.id, row]));
  const finished = (row: BatchResultRow | undefined) => row !== undefined && row.status !== 'cancelled';
  const started = Date.now();
  // The mean wall time of the ended tasks, for the ETA.
  let finishedCount = 0;
  let finishedWall = 0;
  const active = new Set<string>();
  // Whole-batch budgets: the ended rows' totals and the running jobs' (their progress), as a local batch sums them.
  const budget = options.budget ?? {};
  const reportTotals = budget.costUsd !== undefined || budget.tokens !== undefined;
  const runningTotals = new Map<string, BudgetTotals>();
  let exhausted: { status: BatchStatus; reason: string } | undefined;
  let onExhausted: () => void = () => {};
  // The ended rows' sums, kept as rows come (a batch of thousands is not summed again at each row).
  const ended = { costUsd: 0, tokens: 0, failed: 0 };
  const addEnded = (row: BatchResultRow, sign: 1 | -1) => {
    if (row.status !== 'passed') ended.failed += sign;
    if (!row.totals) return;
    ended.costUsd += sign * row.totals.costUsd;
    ended.tokens += sign * (row.totals.inputTokens + row.totals.outputTokens);
  };
  for (const row of rows.values()) addEnded(row, 1);
  const checkBudget = () => {
    if (exhausted || !reportTotals) return;
    let costUsd = ended.costUsd;
    let tokens = ended.tokens;
    for (const t of runningTotals.values()) {
      costUsd += t.costUsd;
      tokens += t.inputTokens + t.outputTokens;
    }
    if (budget.costUsd !== undefined && costUsd >= budget.costUsd)
      exhausted = {
        status: 'exhausted:cost',
        reason: `batch budget: $${costUsd.toFixed(4)} of $${budget.costUsd} spent`,
      };
    else if (budget.tokens !== undefined && tokens >= budget.tokens)
      exhausted = { status: 'exhausted:tokens', reason: `batch budget: ${tokens} of ${budget.tokens} tokens spent` };
    if (exhausted) onExhausted();
  };
  const report = (row?: BatchResultRow) => {
    if (!options.onProgress) return;
    const mean = finishedCount ? finishedWall / finishedCount : undefined;
    const left = entries.length - rows.size;
    options.onProgress({
      total: entries.length,
      done: rows.size,
      failed: ended.failed,
      running: active.size,
      costUsd: ended.costUsd,
      elapsedMs: Date.now() - started,
      etaMs: mean === undefined ? undefined : (mean * Math.max(0, left)) / Math.max(1, active.size),
      ...(row ? { row } : {}),
    });
  };
  const record = (row: BatchResultRow) => {
    const replaced = rows.get(row.id);
    if (replaced) addEnded(replaced, -1);
    addEnded(row, 1);
    rows.set(row.id, row);
    runningTotals.delete(jobIdOf(batchId, row.id));
    appendResultRow(resultsPath, row);
    if (row.totals && row.status !== 'cancelled') {
      finishedCount++;
      finishedWall += row.totals.wallMs;
    }
    checkBudget();
    report(row);
  };

  // Tasks that do not parse are reported here (a row each), as a local batch does; the rest go to the queue.
  const pending = new Map<string, JobPayload>();
  const configText = readFileSync(configPath, 'utf8');
  for (const entry of entries) {
    if (finished(rows.get(entry.id))) continue;
    if (entry.error !== undefined) {
      record(refusedRow({ ...entry, taskId: entry.id, batchDir: outDir }, 'invalid-input', entry.error));
      continue;
    }
    pending.set(jobIdOf(batchId, entry.id), {
      version: 1,
      batchId,
      taskId: entry.id,
      index: entry.index,
      source: entry.source,
      config: { path: configPath, text: configText, set },
      task: entry.task,
      batchDir: outDir,
      cwd,
      ...(store !== undefined ? { store } : {}),
      ...(loaded.config.queue ? { queue: loaded.config.queue } : {}),
      ...(reportTotals ? { reportTotals } : {}),
      // A new batch: no run of this task was started before (its first start need not look for one).
      ...(manifest ? {} : { fresh: true as const }),
    });
  }
  checkBudget();
  report();

  const connection = connectionOf(options.address);
  const queue = new Queue(options.address.name, { connection });
  // Follows from the events stream's last entry as it is before the jobs are added: no job's end is missed.
  const redis = new Redis(options.address.url, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  let lastEventId: string;
  try {
    // The worker-side settings of the queue (workers read them when they start).
    await redis.set(settingsKey(options.address), JSON.stringify(settings));
    // A batch followed again runs again: a budget that stopped it before no longer stops its tasks.
    await redis.del(batchStopKey(options.address, batchId));
    const last = await redis.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1);
    lastEventId = last[0]?.[0] ?? '0-0';
  } finally {
    redis.disconnect();
  }
  const events = new QueueEvents(options.address.name, { connection, lastEventId });
  // A connection lost (Redis restarted): once back, every pending job is looked at (a Redis that lost its data lost
  // jobs and their events).
  let lost = false;
  let wake: (() => void) | undefined;
  const onLost = () => {
    lost = true;
    wake?.();
  };
  queue.on('error', onLost);
  events.on('error', onLost);
  let stopped: string | undefined;
  const jobOptions = {
    attempts: settings.attempts,
    ...(settings.backoff ? { backoff: settings.backoff } : {}),
    removeOnComplete: keepJobs(settings.removeOnComplete),
    removeOnFail: keepJobs(settings.removeOnFail),
  };
  try {
    // A job's row comes with its event: `completed` carries the job's return value (the row), `failed` its reason,
    // so a job removed from Redis as it ends (`queue.removeOnComplete`) is never read back.
    const completed = (jobId: string, returnvalue: unknown) => {
      const payload = pending.get(jobId);
      if (!payload) return;
      const row = batchResultRow.safeParse(returnvalue);
      pending.delete(jobId);
      active.delete(jobId);
      record(
        row.success
          ? row.data
          : refusedRow(payload, 'error', `job ${jobId} returned no results row: ${row.error.message}`),
      );
      if (pending.size === 0) wake?.();
    };
    const failed = (jobId: string, failedReason: string | undefined) => {
      const payload = pending.get(jobId);
      if (!payload) return;
      const reason = parseFailureReason(failedReason);
      pending.delete(jobId);
      active.delete(jobId);
      record(refusedRow(payload, reason.status, reason.message));
      if (pending.size === 0) wake?.();
    };
    events.on('completed', ({ jobId, returnvalue }) => completed(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => failed(jobId, failedReason));
    events.on('progress', ({ jobId, data }) => {
      const totals = (data as { totals?: BudgetTotals } | undefined)?.totals;
      if (!pending.has(jobId) || !totals) return;
      runningTotals.set(jobId, totals);
      checkBudget();
    });
    events.on('active', ({ jobId }) => {
      if (!pending.has(jobId) || active.has(jobId)) return;
      active.add(jobId);
      report();
    });
    await events.waitUntilReady();
    // A task a budget stopped before (row `cancelled`) is submitted again: its ended job goes first (the same id).
    for (const jobId of pending.keys())
      if (rows.get(pending.get(jobId)!.taskId)?.status === 'cancelled') await queue.remove(jobId);
    // Spent before it started (`--resume` of a batch over its budget): nothing is added.
    if (exhausted) pending.clear();
    await queue.addBulk(
      [...pending].map(([jobId, data]) => ({ name: data.taskId, data, opts: { jobId, ...jobOptions } })),
    );
    // A budget spent: the batch's waiting jobs are removed (not run: no row, as a local batch's tasks never started),
    // and its workers told to stop the running ones at their next step boundary (their rows come, `cancelled`).
    let stopSent = false;
    const stopJobs = async () => {
      stopSent = true;
      const redis = new Redis(options.address.url, { maxRetriesPerRequest: null });
      redis.on('error', () => {});
      try {
        await redis.set(batchStopKey(options.address, batchId), exhausted!.reason, 'EX', 7 * 24 * 3600);
      } finally {
        redis.disconnect();
      }
      for (const jobId of [...pending.keys()]) {
        if (!pending.has(jobId)) continue;
        if ((await queue.remove(jobId)) === 1) {
          pending.delete(jobId);
          active.delete(jobId);
          runningTotals.delete(jobId);
        }
      }
      report();
    };
    onExhausted = () => wake?.();
    const wallSeconds = budget.wallSeconds;
    const wallTimer =
      wallSeconds === undefined
        ? undefined
        : setTimeout(
            () => {
              if (exhausted) return;
              exhausted = { status: 'exhausted:time', reason: `batch budget: wall time ${wallSeconds} s reached` };
              onExhausted();
            },
            Math.max(0, wallSeconds * 1000 - (Date.now() - started)),
          );

    const onAbort = () => {
      stopped = String(options.signal?.reason ?? 'interrupted');
      wake?.();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // A sweep looks at every pending job's state: at the start of a batch followed again (jobs that ended while no
    // submitter followed them: `--resume`), after a lost connection, and every `pollMs` (default 30 s) to catch what events cannot tell (a job
    // Redis lost is submitted again; its worker finds the run ended and only returns its row). Between sweeps, the
    // events alone: one look per job rather than one per job per sweep (docs/scaling.md).
    const pollMs = options.pollMs ?? 30_000;
    const sweep = async () => {
      lost = false;
      const looked = [...pending.keys()];
      const states = await Promise.all(looked.map((jobId) => queue.getJobState(jobId)));
      for (const [i, jobId] of looked.entries()) {
        const payload = pending.get(jobId);
        if (!payload) continue; // its event came meanwhile
        const state = states[i]!;
        if (state === 'active') active.add(jobId);
        else active.delete(jobId);
        const job = state === 'completed' || state === 'failed' ? await queue.getJob(jobId) : undefined;
        if (job && state === 'completed') completed(jobId, job.returnvalue);
        else if (job && state === 'failed') failed(jobId, job.failedReason);
        else if (state === 'unknown' || ((state === 'completed' || state === 'failed') && !job)) {
          // Gone from the queue (removed as it ended while no submitter followed it, removed by hand, or a Redis
          // that lost its data): submit it again; the worker returns the row of a run that ended without running it.
          const { fresh: _added, ...again } = payload;
          await queue.add(payload.taskId, again, { jobId, ...jobOptions });
        }
      }
      report();
    };
    try {
      // A new batch's jobs cannot have ended before the event stream's position it follows from: its first sweep
      // waits `pollMs`. A batch followed again (`--resume`) sweeps at once.
      let lastSweep = manifest ? Number.NEGATIVE_INFINITY : Date.now();
      while (pending.size > 0 && stopped === undefined) {
        if (exhausted && !stopSent) await stopJobs();
        if (pending.size === 0) break;
        if (lost || Date.now() - lastSweep >= pollMs) {
          lastSweep = Date.now();
          await sweep();
        }
        if (pending.size === 0 || stopped !== undefined || (exhausted && !stopSent)) continue;
        await new Promise<void>((done) => {
          const timer = setTimeout(done, Math.max(0, lastSweep + pollMs - Date.now()));
          wake = () => {
            clearTimeout(timer);
            done();
          };
        });
        wake = undefined;
      }
    } finally {
      clearTimeout(wallTimer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await events.close();
    await queue.close();
  }
  const all = [...rows.values()].sort((a, b) => a.index - b.index);
  writeResultRows(resultsPath, all);
  const notStarted = entries.length - all.length;
  const status = batchStatus(all, exhausted?.status, stopped !== undefined);
  return {
    status,
    exitCode: EXIT_CODES[status],
    rows: all,
    outDir,
    resultsPath,
    notStarted,
    ...(stopped !== undefined
      ? { stopped: `${stopped}; the jobs go on on the queue's workers` }
      : exhausted
        ? { stopped: exhausted.reason }
        : {}),
  };
}

/** BullMQ's `KeepJobs` from the config's (an empty mapping keeps every job, as `false`). */
function keepJobs(keep: QueueConfig['removeOnComplete']): boolean | KeepJobs {
  if (typeof keep === 'boolean') return keep;
  if (keep.age !== undefined && keep.count !== undefined) return { age: keep.age, count: keep.count };
  if (keep.age !== undefined) return { age: keep.age };
  if (keep.count !== undefined) return { count: keep.count };
  return false;
}

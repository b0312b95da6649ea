import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
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
import { type BatchOutcome, type BatchProgressState, batchInputs, batchStatus } from '../batch/run-batch.ts';
import { queueConfigSchema } from '../config/pipeline-config-schema.ts';
import type { Refinery } from '../runtime/create-refinery.ts';
import { EXIT_CODES } from '../runtime/exit-status.ts';
import { newRunId } from '../runtime/run-id.ts';
import { TaskError } from '../runtime/task-error.ts';
import { type JobPayload, jobIdOf, parseFailureReason } from './job-payload.ts';
import { connectionOf, type QueueAddress, settingsKey } from './queue-connection.ts';
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
  /** Milliseconds between polls of the jobs' states (besides the queue's events). */
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
  const finishedWallMs: number[] = [];
  const active = new Set<string>();
  const report = (row?: BatchResultRow) => {
    if (!options.onProgress) return;
    const done = [...rows.values()];
    const mean = finishedWallMs.length ? finishedWallMs.reduce((a, b) => a + b, 0) / finishedWallMs.length : undefined;
    const left = entries.length - done.length;
    const costOf = (r: BatchResultRow) => r.totals?.costUsd ?? 0;
    options.onProgress({
      total: entries.length,
      done: done.length,
      failed: done.filter((r) => r.status !== 'passed').length,
      running: active.size,
      costUsd: done.reduce((sum, r) => sum + costOf(r), 0),
      elapsedMs: Date.now() - started,
      etaMs: mean === undefined ? undefined : (mean * Math.max(0, left)) / Math.max(1, active.size),
      ...(row ? { row } : {}),
    });
  };
  const record = (row: BatchResultRow) => {
    rows.set(row.id, row);
    appendResultRow(resultsPath, row);
    if (row.totals) finishedWallMs.push(row.totals.wallMs);
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
    });
  }
  report();

  const connection = connectionOf(options.address);
  const queue = new Queue(options.address.name, { connection });
  const events = new QueueEvents(options.address.name, { connection });
  queue.on('error', () => {});
  events.on('error', () => {});
  let stopped: string | undefined;
  try {
    await events.waitUntilReady();
    // The worker-side settings of the queue (workers read them when they start).
    const redis = new Redis(options.address.url, { maxRetriesPerRequest: null });
    redis.on('error', () => {});
    try {
      await redis.set(settingsKey(options.address), JSON.stringify(settings));
    } finally {
      redis.disconnect();
    }
    await queue.addBulk(
      [...pending].map(([jobId, data]) => ({
        name: data.taskId,
        data,
        opts: {
          jobId,
          attempts: settings.attempts,
          ...(settings.backoff ? { backoff: settings.backoff } : {}),
        },
      })),
    );

    // Follow: an event for one of ours triggers a look at that job alone; a sweep over every pending job, at most
    // every max(pollMs, one ms per pending job), catches events missed while away (Redis restarted). Looking at every
    // pending job on every event made the Redis commands grow with the square of the batch (docs/scaling.md).
    let wake: (() => void) | undefined;
    const named = new Set<string>();
    const poke = (jobId: string) => {
      if (!pending.has(jobId)) return;
      named.add(jobId);
      wake?.();
    };
    events.on('completed', ({ jobId }) => poke(jobId));
    events.on('failed', ({ jobId }) => poke(jobId));
    events.on('active', ({ jobId }) => {
      if (!pending.has(jobId) || active.has(jobId)) return;
      active.add(jobId);
      report();
    });
    const onAbort = () => {
      stopped = String(options.signal?.reason ?? 'interrupted');
      wake?.();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const pollMs = options.pollMs ?? 1000;
    let lastSweep = Number.NEGATIVE_INFINITY;
    try {
      while (pending.size > 0 && stopped === undefined) {
        const sweep = Date.now() - lastSweep >= Math.max(pollMs, pending.size);
        if (sweep) lastSweep = Date.now();
        const looked = (sweep ? [...pending.keys()] : [...named]).filter((jobId) => pending.has(jobId));
        named.clear();
        // The states first (sent together: one round trip), then the jobs that ended: a job read before it ended
        // would lack its return value or reason.
        const states = await Promise.all(looked.map((jobId) => queue.getJobState(jobId)));
        for (const [i, jobId] of looked.entries()) {
          const payload = pending.get(jobId)!;
          const state = states[i]!;
          const job = state === 'completed' || state === 'failed' ? await queue.getJob(jobId) : undefined;
          if (state === 'active') active.add(jobId);
          else active.delete(jobId);
          if (job && state === 'completed') {
            const row = batchResultRow.safeParse(job.returnvalue);
            pending.delete(jobId);
            record(
              row.success
                ? row.data
                : refusedRow(payload, 'error', `job ${jobId} returned no results row: ${row.error.message}`),
            );
          } else if (job && state === 'failed') {
            const reason = parseFailureReason(job.failedReason);
            pending.delete(jobId);
            record(refusedRow(payload, reason.status, reason.message));
          } else if (state === 'unknown') {
            // Gone from the queue (removed by hand, or a Redis that lost its data): submit it again.
            await queue.add(payload.taskId, payload, { jobId, attempts: settings.attempts });
          }
        }
        report();
        if (pending.size === 0 || stopped !== undefined) break;
        await new Promise<void>((done) => {
          if (named.size > 0 || stopped !== undefined) return done();
          const timer = setTimeout(done, pollMs);
          wake = () => {
            clearTimeout(timer);
            done();
          };
        });
        wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await events.close();
    await queue.close();
  }
  const all = [...rows.values()].sort((a, b) => a.index - b.index);
  writeResultRows(resultsPath, all);
  const notStarted = entries.length - all.length;
  const status = batchStatus(all, undefined, stopped !== undefined);
  return {
    status,
    exitCode: EXIT_CODES[status],
    rows: all,
    outDir,
    resultsPath,
    notStarted,
    ...(stopped !== undefined ? { stopped: `${stopped}; the jobs go on on the queue's workers` } : {}),
  };
}

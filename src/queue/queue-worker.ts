import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { BatchResultRow } from '../batch/batch-results.ts';
import { type QueueConfig, queueConfigSchema } from '../config/pipeline-config-schema.ts';
import type { ProgressReporter } from '../runtime/progress-reporter.ts';
import type { RunStore } from '../store/run-store.ts';
import type { BudgetTotals } from '../trajectory/trajectory-events.ts';
import { failureReason, jobPayloadSchema } from './job-payload.ts';
import { batchStopKey, connectionOf, type QueueAddress, settingsKey } from './queue-connection.ts';
import { type QueueJobOptions, runQueueJob } from './run-queue-job.ts';

export interface QueueWorkerOptions extends Omit<QueueJobOptions, 'signal' | 'store' | 'stopAfterStep'> {
  address: QueueAddress;
  /**
   * `--store URL`: this worker's way to the run store of jobs submitted with `--store` (e.g. through an SSH tunnel,
   * a different host than the submitter's); jobs submitted without one use their batch directory.
   */
  store?: string;
  /** Opens a run store (src/store/ `openStore`), once per URL for the worker's life. */
  openStore?: (url: string) => Promise<RunStore>;
  /** Jobs run at once (`--concurrency`); else the batch's `queue.concurrency`, else 1. */
  concurrency?: number;
  /**
   * Stops the worker: running tasks end at their next step boundary, or at once after `stopGraceMs` (default 30 s),
   * keep their checkpoints, and their jobs go back to the queue.
   */
  signal?: AbortSignal;
  stopGraceMs?: number;
  /** One line per event worth a log (a job taken, done, released; Redis lost and back). */
  onLog?: (line: string) => void;
}

export interface QueueWorkerSummary {
  completed: number;
  failed: number;
  released: number;
}

/**
 * `refinery worker`: takes jobs from the queue and runs them (src/queue/run-queue-job.ts) until stopped. The
 * worker-side settings (lock duration, stalled-job check, rate limit, concurrency) are the `queue:` section of the
 * batch's config, which the submitter leaves in Redis: the worker waits for the first batch to read them. Retries,
 * stalled-job detection and rate limits are BullMQ's.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  const log = options.onLog ?? (() => {});
  const stop = options.signal ?? new AbortController().signal;
  const summary: QueueWorkerSummary = { completed: 0, failed: 0, released: 0 };
  const settings = await waitForSettings(options.address, stop, log);
  if (!settings) return summary;
  const running = new Map<string, { abort: AbortController; finishStep: AbortController }>();
  const stores = new Map<string, Promise<RunStore>>();
  const storeOf = (url: string): Promise<RunStore> => {
    let store = stores.get(url);
    if (!store) {
      if (!options.openStore) throw new Error(`job needs the run store ${url}, and this worker opens none`);
      store = options.openStore(url);
      // A store that does not open is retried with the next job.
      store.catch(() => stores.delete(url));
      stores.set(url, store);
    }
    return store;
  };
  const worker = new Worker(
    options.address.name,
    async (job: Job, token?: string): Promise<BatchResultRow> => {
      const payload = jobPayloadSchema.safeParse(job.data);
      if (!payload.success) {
        const issue = payload.error.issues[0];
        throw new UnrecoverableError(
          failureReason(
            'invalid-input',
            `job ${job.id}: not a Refinery job (${issue?.path.join('.') || 'data'}: ${issue?.message})`,
          ),
        );
      }
      const storeUrl = payload.data.store === undefined ? undefined : (options.store ?? payload.data.store);
      const store = storeUrl === undefined ? undefined : await storeOf(storeUrl);
      const abort = new AbortController();
      const finishStep = new AbortController();
      running.set(job.id!, { abort, finishStep });
      log(`${job.id}: started${job.attemptsStarted > 1 || job.stalledCounter > 0 ? ' (again)' : ''}`);
      const budgeted = payload.data.reportTotals
        ? batchBudgetWatch(job, () => worker.backend.client, batchStopKey(options.address, payload.data.batchId))
        : {};
      try {
        const outcome = await runQueueJob(payload.data, {
          refinery: options.refinery,
          signal: abort.signal,
          stopAfterStep: finishStep.signal,
          ...budgeted,
          ...(options.runOptions ? { runOptions: options.runOptions } : {}),
          ...(store ? { store } : {}),
          // BullMQ counts a start after a stall or a release in attemptsStarted too.
          firstStart: job.attemptsStarted <= 1 && job.stalledCounter === 0,
        });
        if (outcome.kind === 'refused') throw new UnrecoverableError(failureReason(outcome.status, outcome.message));
        if (outcome.kind === 'released') {
          // Stopping: back to the queue, where the next worker resumes it from its checkpoint.
          await job.moveToWait(token);
          summary.released++;
          log(`${job.id}: released`);
          throw new WaitingError();
        }
        log(`${job.id}: ${outcome.row.status}`);
        return outcome.row;
      } finally {
        running.delete(job.id!);
      }
    },
    {
      connection: connectionOf(options.address),
      concurrency: options.concurrency ?? settings.concurrency ?? 1,
      ...(settings.lockDuration !== undefined ? { lockDuration: settings.lockDuration } : {}),
      ...(settings.stalledInterval !== undefined ? { stalledInterval: settings.stalledInterval } : {}),
      ...(settings.maxStalledCount !== undefined ? { maxStalledCount: settings.maxStalledCount } : {}),
      ...(settings.limiter ? { limiter: settings.limiter } : {}),
    },
  );
  worker.on('completed', () => summary.completed++);
  worker.on('failed', (job, error) => {
    if (error instanceof WaitingError) return;
    summary.failed++;
    log(`${job?.id ?? '?'}: failed: ${error.message}`);
  });
  let lost = false;
  worker.on('error', (error) => {
    if (!lost) log(`redis: ${error.message} (retrying)`);
    lost = true;
  });
  worker.on('ready', () => {
    if (lost) log('redis: connected again');
    lost = false;
  });
  await new Promise<void>((done) => {
    if (stop.aborted) done();
    else stop.addEventListener('abort', () => done(), { once: true });
  });
  // Stopping: each running task ends at its next step boundary (its running nodes finish, so none of their model
  // requests is sent again by the worker that resumes it); after the grace period, at once.
  const reason = String(stop.reason ?? 'worker stopping');
  for (const { finishStep } of running.values()) finishStep.abort(reason);
  const cutOff = setTimeout(() => {
    for (const { abort } of running.values()) abort.abort(reason);
  }, options.stopGraceMs ?? 30_000);
  await worker.close();
  clearTimeout(cutOff);
  for (const store of stores.values()) await (await store.catch(() => undefined))?.close();
  return summary;
}

/** The `queue:` settings the latest submitter left for this queue; waits for one (polling each second) until stopped. */
async function waitForSettings(
  address: QueueAddress,
  stop: AbortSignal,
  log: (line: string) => void,
): Promise<QueueConfig | undefined> {
  const redis = new Redis(address.url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => {});
  try {
    let announced = false;
    while (!stop.aborted) {
      const text = await redis.get(settingsKey(address));
      if (text !== null) return queueConfigSchema.parse(JSON.parse(text));
      if (!announced) log(`waiting for a batch on queue '${address.name}' (${address.url})`);
      announced = true;
      await new Promise((done) => setTimeout(done, 1000));
    }
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/**
 * A job of a batch with a whole-batch budget: the run's totals go to the job's progress (the submitter sums them
 * with the ended rows'), and after each report the batch's stop key is read: once the submitter has set it (the
 * budget is spent), the run ends at its next step boundary. One report in flight at a time, the latest totals win.
 */
function batchBudgetWatch(
  job: Job,
  client: () => Promise<{ get(key: string): Promise<string | null> }>,
  stopKey: string,
): { progress: ProgressReporter; batchStopped: AbortSignal } {
  const stopped = new AbortController();
  let latest: BudgetTotals | undefined;
  let sending = false;
  const send = async () => {
    sending = true;
    try {
      while (latest && !stopped.signal.aborted) {
        const totals = latest;
        latest = undefined;
        await job.updateProgress({ totals });
        const reason = await (await client()).get(stopKey);
        if (reason !== null) stopped.abort(reason);
      }
    } catch {
      // Redis away: the next report tries again.
    } finally {
      sending = false;
    }
  };
  return {
    batchStopped: stopped.signal,
    progress: {
      update(state) {
        if (!state.totals) return;
        latest = state.totals;
        if (!sending) void send();
      },
      finish() {},
    },
  };
}

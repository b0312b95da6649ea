import { contentHash } from '../cache/content-hash.ts';
import { InvalidExecutionRequestError } from '../invalid-execution-request-error.ts';
import { type BatchRunOptions, batchHarnessVersion, resolveBatchCache, resolveBatchPool } from './batch-options.ts';
import type { CallRun, CallStatus, PythonCallsRequest, PythonCallsResult } from './batch-types.ts';
import { dedupeStrings } from './dedupe-strings.ts';
import type { ZygoteReply } from './python-worker.ts';

/** What the cache keeps per call. */
interface CachedCall {
  s: CallStatus;
  v?: unknown;
  e?: string;
  c: number;
  ms: number;
}

const STATUSES: readonly CallStatus[] = ['ok', 'timeout', 'crashed'];

/** The last harness's content key: a pipeline sends the same harness source with every request (Mokav's is 10 kB). */
let lastHarness: { source: string; key: string } | undefined;
function harnessKeyOf(source: string): string {
  if (lastHarness?.source !== source) lastHarness = { source, key: contentHash('harness', source).slice(0, 32) };
  return lastHarness.key;
}

/**
 * Calls being executed now, per cache: a request that asks for one of them while it runs (concurrent requests with
 * a job in common) waits for that run instead of starting the same job again, as it would take it from the cache a
 * moment later. Requests without a cache never share.
 */
const inFlightByCache = new WeakMap<object, Map<string, Promise<CachedCall>>>();

/**
 * Runs a pipeline's harness, a Python module defining `run(job)`, on JSON jobs (docs/batch-execution.md, "Harness
 * calls"): each call in a fresh fork of a warm zygote started without CodeT's guard (`pool.forCalls()`), in the
 * same sandbox, under RLIMIT_CPU and a wall ceiling. Identical jobs run once; outcomes are cached by content
 * (zygote script, interpreter, harness, limits, job JSON). Rejects with InvalidExecutionRequestError when the
 * request is malformed or the harness does not load.
 */
export async function runPythonCalls(
  request: PythonCallsRequest,
  options: BatchRunOptions = {},
): Promise<PythonCallsResult> {
  const { cpuLimitSec, harness } = request;
  const wallLimitSec = request.wallLimitSec ?? 2 * cpuLimitSec + 1;
  if (!(Number.isFinite(cpuLimitSec) && cpuLimitSec > 0))
    throw new InvalidExecutionRequestError('cpuLimitSec', `must be a positive number of seconds, not ${cpuLimitSec}`);
  if (!(Number.isFinite(wallLimitSec) && wallLimitSec > 0))
    throw new InvalidExecutionRequestError('wallLimitSec', `must be a positive number of seconds, not ${wallLimitSec}`);
  if (typeof harness !== 'string' || harness.trim() === '')
    throw new InvalidExecutionRequestError('harness', 'must be the Python source of a module defining run(job)');
  const texts = request.jobs.map((job, i) => {
    const text = JSON.stringify(job);
    if (typeof text !== 'string') throw new InvalidExecutionRequestError(`jobs[${i}]`, 'is not a JSON value');
    return text;
  });
  const jobs = dedupeStrings(texts);
  const stats = { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 };
  if (jobs.distinct.length === 0) return { runs: [], stats };

  const pool = resolveBatchPool(options).forCalls();
  const cache = resolveBatchCache<CachedCall>(options);
  let inFlight: Map<string, Promise<CachedCall>> | undefined;
  if (cache) {
    inFlight = inFlightByCache.get(cache) ?? new Map<string, Promise<CachedCall>>();
    inFlightByCache.set(cache, inFlight);
  }
  const { python, version } = await pool.describe();
  const harnessKey = harnessKeyOf(harness);
  const keyPrefix = contentHash(
    'call',
    batchHarnessVersion(),
    python,
    version,
    harnessKey,
    String(cpuLimitSec),
    String(wallLimitSec),
  );

  const distinctRuns = await Promise.all(
    jobs.distinct.map(async (job): Promise<CallRun> => {
      const key = contentHash(keyPrefix, job);
      const hit = cache?.get(key);
      if (hit) {
        stats.cached++;
        return runFrom(hit, true);
      }
      const running = inFlight?.get(key);
      if (running) {
        const shared = await running.catch(() => undefined);
        if (shared) {
          stats.cached++;
          return runFrom(shared, true);
        }
        // that request was aborted or failed: run it here
      }
      const execution = (async () => {
        const reply = await pool.submit(
          { op: 'call', harnessKey, harnessSource: harness, job, cpuSec: cpuLimitSec, limit: wallLimitSec },
          undefined,
          request.signal,
        );
        const entry = entryFromReply(reply);
        if (!isEngineFailure(entry)) cache?.set(key, entry);
        return entry;
      })();
      inFlight?.set(key, execution);
      try {
        const entry = await execution;
        stats.executed++;
        return runFrom(entry, false);
      } finally {
        if (inFlight?.get(key) === execution) inFlight.delete(key);
      }
    }),
  );
  cache?.flush();
  for (const run of distinctRuns) {
    if (run.status === 'timeout') {
      stats.timeouts++;
      stats.timeoutSeconds += run.wallMs / 1000;
    }
  }
  return { runs: jobs.index.map((i) => ({ ...distinctRuns[i]! })), stats };
}

function entryFromReply(reply: ZygoteReply): CachedCall {
  const error = reply.error ?? undefined;
  if (error?.startsWith('HarnessLoad:'))
    throw new InvalidExecutionRequestError('harness', `does not load: ${error.slice('HarnessLoad:'.length)}`);
  const base = { c: reply.cpu ?? 0, ms: reply.ms };
  if (!(STATUSES as readonly string[]).includes(reply.status)) return { s: 'crashed', e: error ?? 'NoResult', ...base };
  if (reply.status === 'ok') {
    try {
      return { s: 'ok', v: JSON.parse(reply.value ?? 'null'), ...base };
    } catch {
      return { s: 'crashed', e: 'NoResult', ...base };
    }
  }
  return { s: reply.status as CallStatus, ...(error ? { e: error } : {}), ...base };
}

/** A worker that died or failed is no verdict on the call: not cached, so a re-run tries again. */
function isEngineFailure(entry: CachedCall): boolean {
  const error = entry.e ?? '';
  return (
    entry.s === 'crashed' &&
    (error === 'WorkerDied' || error === 'NoResult' || error.startsWith('Engine:') || error.startsWith('Harness'))
  );
}

function runFrom(entry: CachedCall, cached: boolean): CallRun {
  return {
    status: entry.s,
    ...(entry.s === 'ok' ? { value: entry.v } : {}),
    ...(entry.e !== undefined ? { error: entry.e } : {}),
    cpuSec: entry.c,
    wallMs: entry.ms,
    cached,
  };
}

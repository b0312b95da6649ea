import { contentHash } from '../cache/content-hash.ts';
import { type BatchRunOptions, batchHarnessVersion, resolveBatchCache, resolveBatchPool } from './batch-options.ts';
import type {
  CandidateRun,
  CandidateRunStatus,
  PythonMatrixRequest,
  PythonMatrixResult,
  PythonMatrixStats,
} from './batch-types.ts';
import { dedupeStrings } from './dedupe-strings.ts';
import type { ZygoteReply } from './python-worker.ts';

/** What the cache keeps per candidate (compact: a 0/1 string and durations in tenths of a ms). */
interface CachedMatrixRow {
  s: CandidateRunStatus;
  p: string | null;
  d: number[];
  t: number[];
  e?: string;
  ms: number;
}

const STATUSES: readonly CandidateRunStatus[] = ['ok', 'overrun', 'load_error', 'escaped', 'crashed'];

function rowFromReply(reply: ZygoteReply): CachedMatrixRow {
  const status = (STATUSES as readonly string[]).includes(reply.status)
    ? (reply.status as CandidateRunStatus)
    : 'crashed';
  return {
    s: status,
    p: status === 'ok' ? (reply.passed ?? null) : null,
    d: status === 'ok' ? (reply.d ?? []) : [],
    t: status === 'ok' ? (reply.t ?? []) : [],
    ...(reply.error ? { e: reply.error } : {}),
    ms: reply.ms,
  };
}

/**
 * Runs every distinct candidate against every distinct test (techniques §1.4): per candidate, a process that
 * no earlier job has changed (a reused runner or a fresh fork, docs/batch-execution.md) runs
 * `prelude + candidate + "\n"` and then all tests, each under its own timer; the job is killed at
 * perTestTimeoutMs × #tests + processSlackMs. Identical candidates and tests run once and are
 * counted; results come from and go to the content-hash cache.
 */
export async function evaluatePythonMatrix(
  request: PythonMatrixRequest,
  options: BatchRunOptions = {},
): Promise<PythonMatrixResult> {
  const candidates = dedupeStrings(request.candidates);
  const tests = dedupeStrings(request.tests);
  const prelude = request.prelude ?? '';
  const perTestSec = request.perTestTimeoutMs / 1000;
  const processLimitMs = request.perTestTimeoutMs * tests.distinct.length + (request.processSlackMs ?? 100);
  const stats: PythonMatrixStats = {
    executed: 0,
    cached: 0,
    testTimeouts: 0,
    testTimeoutSeconds: 0,
    processTimeouts: 0,
    processTimeoutSeconds: 0,
  };
  const result: PythonMatrixResult = {
    candidates: candidates.distinct,
    candidateCounts: candidates.counts,
    candidateIndex: candidates.index,
    tests: tests.distinct,
    testCounts: tests.counts,
    testIndex: tests.index,
    matrix: [],
    runs: [],
    processLimitMs,
    stats,
  };
  if (candidates.distinct.length === 0) return result;
  if (tests.distinct.length === 0) {
    // Nothing to run (CodeT skips such tasks): every row is empty.
    result.matrix = candidates.distinct.map(() => []);
    result.runs = candidates.distinct.map(() => ({
      status: 'ok',
      durationMs: 0,
      testDurationsMs: [],
      timedOutTests: [],
      cached: false,
    }));
    return result;
  }

  const pool = resolveBatchPool(options);
  const cache = resolveBatchCache<CachedMatrixRow>(options);
  const { python, version } = await pool.describe();
  const strict = (request.uncompilableTests ?? 'lose-vectors') === 'lose-vectors';
  const suiteKey = contentHash('suite', String(perTestSec), String(strict), ...tests.distinct);
  const keyPrefix = contentHash(
    'matrix',
    batchHarnessVersion(),
    python,
    version,
    String(perTestSec),
    String(processLimitMs),
    suiteKey,
  );
  const suite = { key: suiteKey, tests: tests.distinct, timeoutSec: perTestSec, strict };
  // A cache shared by workers (a run store's) fetches this batch's rows first: `get` then finds those run elsewhere.
  if (cache?.isShared) await cache.prefetch(candidates.distinct.map((c) => contentHash(keyPrefix, `${prelude}${c}\n`)));

  const rows = await Promise.all(
    candidates.distinct.map(async (candidate): Promise<{ row: CachedMatrixRow; cached: boolean }> => {
      const program = `${prelude}${candidate}\n`;
      const key = contentHash(keyPrefix, program);
      const hit = cache?.get(key);
      if (hit) return { row: hit, cached: true };
      const reply = await pool.submit(
        { op: 'matrix', suite: suiteKey, program, limit: processLimitMs / 1000 },
        suite,
        request.signal,
      );
      const row = rowFromReply(reply);
      if (row.s !== 'crashed') cache?.set(key, row);
      return { row, cached: false };
    }),
  );

  cache?.flush();
  for (const { row, cached } of rows) {
    if (cached) stats.cached++;
    else stats.executed++;
    const passed = row.p;
    result.matrix.push(tests.distinct.map((_, t) => passed !== null && passed[t] === '1'));
    const run: CandidateRun = {
      status: row.s,
      durationMs: row.ms,
      testDurationsMs: row.d.map((tenths) => tenths / 10),
      timedOutTests: row.t,
      cached,
      ...(row.e ? { error: row.e } : {}),
    };
    result.runs.push(run);
    for (const t of row.t) {
      stats.testTimeouts++;
      stats.testTimeoutSeconds += (row.d[t] ?? 0) / 10000;
    }
    if (row.s === 'overrun') {
      stats.processTimeouts++;
      stats.processTimeoutSeconds += row.ms / 1000;
    }
  }
  return result;
}

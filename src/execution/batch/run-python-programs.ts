import { contentHash } from '../cache/content-hash.ts';
import { type BatchRunOptions, batchHarnessVersion, resolveBatchCache, resolveBatchPool } from './batch-options.ts';
import type { ProgramOutcome, ProgramRun, PythonProgramsRequest, PythonProgramsResult } from './batch-types.ts';
import { dedupeStrings } from './dedupe-strings.ts';

interface CachedProgramRun {
  o: ProgramOutcome;
  e?: string;
  d: number;
  ms: number;
}

/**
 * Runs whole programs, each in a process no earlier job has changed (docs/batch-execution.md), under ONE timer around compile and run (HumanEval's
 * ground truth: `prompt + completion + "\n" + test + "\n" + "check(entry_point)"`, 100 ms). The process is killed
 * `joinMs` after it started (default timeoutMs + 1000, CodeT's join): that, or the timer, is a `timeout`; any
 * other exception is `failed`. Identical programs run once; results are cached by content hash.
 */
export async function runPythonPrograms(
  request: PythonProgramsRequest,
  options: BatchRunOptions = {},
): Promise<PythonProgramsResult> {
  const programs = dedupeStrings(request.programs);
  const stats = { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 };
  if (programs.distinct.length === 0) return { runs: [], stats };
  const pool = resolveBatchPool(options);
  const cache = resolveBatchCache<CachedProgramRun>(options);
  const { python, version } = await pool.describe();
  const timeoutSec = request.timeoutMs / 1000;
  const joinSec = (request.joinMs ?? request.timeoutMs + 1000) / 1000;
  const keyPrefix = contentHash('program', batchHarnessVersion(), python, version, String(timeoutSec), String(joinSec));

  const distinctRuns = await Promise.all(
    programs.distinct.map(async (source): Promise<ProgramRun> => {
      const key = contentHash(keyPrefix, source);
      const hit = cache?.get(key);
      if (hit) {
        stats.cached++;
        return {
          outcome: hit.o,
          durationMs: hit.d,
          processMs: hit.ms,
          cached: true,
          ...(hit.e ? { error: hit.e } : {}),
        };
      }
      const reply = await pool.submit(
        { op: 'program', source, timeout: timeoutSec, limit: joinSec },
        undefined,
        request.signal,
      );
      stats.executed++;
      const outcome: ProgramOutcome =
        reply.status === 'passed' ? 'passed' : reply.status === 'timeout' ? 'timeout' : 'failed';
      const durationMs = reply.d?.[0] !== undefined ? reply.d[0] / 10 : reply.ms;
      const error = reply.error ?? undefined;
      if (reply.status !== 'crashed')
        cache?.set(key, { o: outcome, d: durationMs, ms: reply.ms, ...(error ? { e: error } : {}) });
      return { outcome, durationMs, processMs: reply.ms, cached: false, ...(error ? { error } : {}) };
    }),
  );
  cache?.flush();
  for (const run of distinctRuns) {
    if (run.outcome === 'timeout') {
      stats.timeouts++;
      stats.timeoutSeconds += run.durationMs / 1000;
    }
  }
  return { runs: programs.index.map((i) => distinctRuns[i]!), stats };
}

import type { BatchRunOptions } from '../batch/batch-options.ts';
import { evaluatePythonMatrix } from '../batch/evaluate-python-matrix.ts';
import { runPythonCalls } from '../batch/run-python-calls.ts';
import { runPythonPrograms } from '../batch/run-python-programs.ts';
import type { MatrixEngine, ProgramOutcome } from './matrix-engine.ts';

/** Analysis only: how verdicts would read on a slower machine (`refinery bench codet --timing-what-if`). */
export interface TimingWhatIf {
  /**
   * Default 1, as measured: a run also counts as timed out when its measured duration times `slowdown` reaches
   * its limit, as on a machine that much slower. A test, a whole vector (process limit) or a program that passed
   * can so turn into a timeout; nothing turns the other way.
   */
  slowdown?: number;
}

/**
 * The batch engine (warm zygotes, per-test timers, content-hash cache; docs/batch-execution.md) as a
 * `MatrixEngine` for Python. A candidate's process limit is perTestTimeout × #distinct tests + perTestTimeout.
 * Calls run on the pool's guard-free sibling (`pool.forCalls()`); the timing what-if does not apply to them.
 */
export function createBatchMatrixEngine(options: BatchRunOptions = {}, whatIf: TimingWhatIf = {}): MatrixEngine {
  const slowdown = whatIf.slowdown ?? 1;
  return {
    async runMatrix(request, callOptions) {
      const signal = callOptions?.signal;
      signal?.throwIfAborted();
      const work = evaluatePythonMatrix(
        {
          candidates: request.candidates,
          tests: request.tests,
          prelude: request.prelude,
          perTestTimeoutMs: Math.round(request.perTestTimeoutSec * 1000),
          processSlackMs: Math.round(request.perTestTimeoutSec * 1000),
          uncompilableTests: request.uncompilableTests ?? 'fail-test',
          ...(signal ? { signal } : {}),
        },
        options,
      );
      const result = await untilAborted(work, signal);
      const limitMs = request.perTestTimeoutSec * 1000;
      const rows = request.candidates.map((_, i) => {
        const c = result.candidateIndex[i]!;
        const run = result.runs[c]!;
        if (run.status !== 'ok') return null;
        if (slowdown !== 1 && run.durationMs * slowdown >= result.processLimitMs) return null;
        const row = result.matrix[c]!;
        return request.tests.map((_, t) => {
          const column = result.testIndex[t]!;
          return row[column] === true && (run.testDurationsMs[column] ?? 0) * slowdown < limitMs;
        });
      });
      return { rows, timeouts: result.stats.testTimeouts + result.stats.processTimeouts };
    },

    async runPrograms(request, callOptions) {
      const signal = callOptions?.signal;
      signal?.throwIfAborted();
      const work = runPythonPrograms(
        {
          programs: request.programs,
          timeoutMs: Math.round(request.timeoutSec * 1000),
          ...(signal ? { signal } : {}),
        },
        options,
      );
      const result = await untilAborted(work, signal);
      const limitMs = request.timeoutSec * 1000;
      return {
        outcomes: result.runs.map(
          (run): ProgramOutcome =>
            run.outcome !== 'timeout' && slowdown !== 1 && run.durationMs * slowdown >= limitMs
              ? 'timeout'
              : run.outcome,
        ),
      };
    },

    async runCalls(request, callOptions) {
      const signal = callOptions?.signal;
      signal?.throwIfAborted();
      const work = runPythonCalls(
        {
          harness: request.harness,
          jobs: request.jobs,
          cpuLimitSec: request.cpuLimitSec,
          ...(request.wallLimitSec !== undefined ? { wallLimitSec: request.wallLimitSec } : {}),
          ...(signal ? { signal } : {}),
        },
        options,
      );
      const result = await untilAborted(work, signal);
      return { outcomes: result.runs, stats: result.stats };
    },
  };
}

/**
 * The work's outcome, or the signal's reason as soon as it aborts. The pool starts no queued job after an abort;
 * a job already running ends at its own limit, and its result is dropped (or cached).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

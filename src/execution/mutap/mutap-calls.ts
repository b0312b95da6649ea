import { readFileSync } from 'node:fs';
import type { RunScripts, ScriptOutcome } from '../../techniques/mutap/script-outcome.ts';
import type { ParseVerdict } from '../../techniques/mutap/syntax-fix.ts';
import type { CallOutcome, CallsResult, MatrixEngine } from '../matrix/matrix-engine.ts';

/** The harness MuTAP's programs run in (`run(job)`; see the file for how it reproduces `python3 file.py`). */
export const MUTAP_HARNESS = readFileSync(new URL('./mutap-harness.py', import.meta.url), 'utf8');

/** MuTAP's limit per program run: 10 s, here of CPU time, so load on the machine cannot flip a verdict. */
export const MUTAP_CPU_LIMIT_SEC = 10;

export interface MutapCallOptions {
  cpuLimitSec?: number;
  wallLimitSec?: number;
  /** Lowers the sandbox's address-space cap for these runs (tests); default the engine's. */
  memoryMb?: number;
  signal?: AbortSignal;
}

/** Engine work done through one `MutapCalls`, for the bench's time report. */
export interface MutapCallStats {
  calls: number;
  executed: number;
  cached: number;
  /** Runs (distinct, executed now or cached) that hit a limit. */
  timeouts: number;
  /**
   * CPU seconds of the runs executed now that hit a limit, the part of the work no design avoids: the CPU limit
   * for a run stopped there, the CPU it used for one stopped at the wall ceiling (`limitCpuSeconds`).
   */
  limitSeconds: number;
  /** Wall seconds of those runs (more than their CPU seconds when they shared a core). */
  limitWallSeconds: number;
  /** CPU seconds of the other runs executed now (their processes' own CPU: fork, the program, the harness). */
  otherCpuSeconds: number;
  /** Of those, runs that grew into the address-space cap (MemoryError read as MuTAP's timeout), and their CPU. */
  memoryCapRuns: number;
  memoryCapCpuSeconds: number;
}

/** The CPU seconds a run at a limit stands for (see MutapCallStats.limitSeconds); 0 for any other run. */
export function limitCpuSeconds(outcome: CallOutcome, cpuLimitSec: number): number {
  if (outcome.status !== 'timeout') return 0;
  return outcome.error === 'cpu' ? cpuLimitSec : outcome.cpuSec;
}

/** A script job as the harness takes it. */
export const scriptJob = (source: string, stdout = false, memoryMb?: number) => ({
  kind: 'script',
  source,
  stdout,
  ...(memoryMb !== undefined ? { memoryMb } : {}),
});
export const parseJob = (source: string) => ({ kind: 'parse', source });

/** The ScriptOutcome of one engine call of the harness's `script` job. */
export function scriptOutcome(call: CallOutcome): ScriptOutcome {
  if (call.status === 'timeout') return { status: 'timeout' };
  if (call.status === 'crashed') return { status: 'crashed', error: call.error ?? 'NoResult' };
  const value = call.value as {
    exit: number;
    assertion: boolean;
    error: string | null;
    stdout: string | null;
    memoryCap?: boolean;
  };
  return {
    status: 'exited',
    exit: value.exit,
    assertion: value.assertion,
    error: value.error,
    stdout: value.stdout,
    ...(value.memoryCap ? { memoryCap: true } : {}),
  };
}

/**
 * MuTAP's program runs on the shared engine: `runScripts` (whole programs, `python3 file.py` semantics) and
 * `parse` (MuTAP's `ast.parse` syntax check), batched into one `runCalls` each, deduplicated and cached by content.
 */
export class MutapCalls {
  readonly stats: MutapCallStats = {
    calls: 0,
    executed: 0,
    cached: 0,
    timeouts: 0,
    limitSeconds: 0,
    limitWallSeconds: 0,
    otherCpuSeconds: 0,
    memoryCapRuns: 0,
    memoryCapCpuSeconds: 0,
  };

  constructor(
    private readonly engine: MatrixEngine,
    private readonly options: MutapCallOptions = {},
  ) {}

  get cpuLimitSec(): number {
    return this.options.cpuLimitSec ?? MUTAP_CPU_LIMIT_SEC;
  }

  readonly runScripts: RunScripts = async (sources, options = {}) => {
    const result = await this.call(
      sources.map((source) => scriptJob(source, options.stdout === true, this.options.memoryMb)),
    );
    return result.outcomes.map(scriptOutcome);
  };

  async parse(sources: readonly string[]): Promise<ParseVerdict[]> {
    const result = await this.call(sources.map(parseJob));
    return result.outcomes.map((call) => {
      if (call.status !== 'ok') return { ok: false, line: null };
      const value = call.value as { ok: boolean; line: number | null };
      return value.ok ? { ok: true } : { ok: false, line: value.line };
    });
  }

  private async call(jobs: readonly unknown[]): Promise<CallsResult> {
    if (jobs.length === 0) return { outcomes: [], stats: { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 } };
    const result = await this.engine.runCalls(
      {
        harness: MUTAP_HARNESS,
        jobs,
        cpuLimitSec: this.cpuLimitSec,
        ...(this.options.wallLimitSec !== undefined ? { wallLimitSec: this.options.wallLimitSec } : {}),
      },
      this.options.signal ? { signal: this.options.signal } : {},
    );
    this.stats.calls += jobs.length;
    this.stats.executed += result.stats.executed;
    this.stats.cached += result.stats.cached;
    this.stats.timeouts += result.stats.timeouts;
    const seen = new Set<string>();
    result.outcomes.forEach((outcome, i) => {
      if (outcome.cached) return;
      const key = JSON.stringify(jobs[i]);
      if (seen.has(key)) return;
      seen.add(key);
      if (outcome.status === 'timeout') {
        this.stats.limitSeconds += limitCpuSeconds(outcome, this.cpuLimitSec);
        this.stats.limitWallSeconds += outcome.wallMs / 1000;
        return;
      }
      this.stats.otherCpuSeconds += outcome.cpuSec;
      if (outcome.status === 'ok' && (outcome.value as { memoryCap?: boolean } | null)?.memoryCap) {
        this.stats.memoryCapRuns++;
        this.stats.memoryCapCpuSeconds += outcome.cpuSec;
      }
    });
    return result;
  }
}

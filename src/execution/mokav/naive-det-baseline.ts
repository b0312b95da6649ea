import { ZYGOTE_SCRIPT } from '../batch/python-worker.ts';
import { runProcess } from '../process/run-process.ts';
import { createWorkingDirectory } from '../process/working-directory.ts';
import { DET_HARNESS, type Limits } from './det-calls.ts';

export interface NaiveCallResult {
  status: 'ok' | 'timeout' | 'crashed';
  /** Wall milliseconds of the whole process (interpreter start-up included). */
  wallMs: number;
  value?: unknown;
}

/**
 * Mokav's own design, as the bench's baseline: a fresh `python3` process per sample, run one after another. The
 * process runs the identical harness code (`batch-zygote.py --single`, op call) under the same CPU limit; no warm
 * worker, no cache, no sandbox.
 */
export async function runNaiveDetCall(python: string, job: unknown, limits: Limits): Promise<NaiveCallResult> {
  const dir = await createWorkingDirectory();
  const wall = limits.wallLimitSec ?? 2 * limits.cpuLimitSec + 1;
  const started = performance.now();
  try {
    const outcome = await runProcess({
      argv: [python, '-s', '-B', ZYGOTE_SCRIPT, '--single'],
      workdir: dir.path,
      sandbox: 'none',
      // Start-up is on top of the call's own limits, as Mokav's 5 s covered a whole `python` process.
      limits: { wallMs: (wall + 5) * 1000, outputBytes: 1 << 20 },
      stdin: JSON.stringify({ op: 'call', harness: DET_HARNESS, job, cpu: limits.cpuLimitSec, wall }),
    });
    const wallMs = performance.now() - started;
    try {
      const reply = JSON.parse(outcome.stdout) as { status: NaiveCallResult['status']; value?: unknown };
      return { status: reply.status, wallMs, ...(reply.value !== undefined ? { value: reply.value } : {}) };
    } catch {
      return { status: outcome.timedOut ? 'timeout' : 'crashed', wallMs };
    }
  } finally {
    await dir.dispose();
  }
}

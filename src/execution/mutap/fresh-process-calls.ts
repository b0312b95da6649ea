import { ZYGOTE_SCRIPT } from '../batch/python-worker.ts';
import type { CallOutcome } from '../matrix/matrix-engine.ts';
import { runProcess } from '../process/run-process.ts';
import { createWorkingDirectory } from '../process/working-directory.ts';

/** Interpreter start-up is not part of the call's limit; the process gets this much more before it is killed. */
const STARTUP_ALLOWANCE_MS = 1000;

/**
 * MuTAP's own design, as the bench's baseline: a fresh `python3` per program (the engine's `--single` call mode,
 * so the identical harness code runs the identical job under the same CPU limit), no warm worker, no cache, no
 * sandbox (MuTAP ran `subprocess.run(["python3", file], timeout=10)`). `concurrency` processes at a time.
 */
export async function runFreshProcessCalls(
  request: { python: string; harness: string; jobs: readonly unknown[]; cpuLimitSec: number; wallLimitSec?: number },
  concurrency: number,
  signal?: AbortSignal,
): Promise<CallOutcome[]> {
  const wall = request.wallLimitSec ?? 2 * request.cpuLimitSec + 1;
  const outcomes: CallOutcome[] = new Array(request.jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < request.jobs.length) {
      const index = next++;
      signal?.throwIfAborted();
      outcomes[index] = await runOne(request.python, {
        op: 'call',
        harness: request.harness,
        job: request.jobs[index],
        cpu: request.cpuLimitSec,
        wall,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return outcomes;
}

async function runOne(
  python: string,
  input: { op: 'call'; harness: string; job: unknown; cpu: number; wall: number },
): Promise<CallOutcome> {
  const dir = await createWorkingDirectory();
  const started = performance.now();
  try {
    const outcome = await runProcess({
      argv: [python, '-s', '-B', ZYGOTE_SCRIPT, '--single'],
      workdir: dir.path,
      sandbox: 'none',
      limits: { wallMs: input.wall * 1000 + STARTUP_ALLOWANCE_MS, outputBytes: 4 << 20 },
      env: { PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' },
      stdin: JSON.stringify(input),
    });
    const wallMs = performance.now() - started;
    if (outcome.timedOut) return { status: 'timeout', error: 'wall', cpuSec: 0, wallMs, cached: false };
    try {
      const reply = JSON.parse(outcome.stdout) as {
        status: CallOutcome['status'];
        error: string | null;
        cpu: number;
        value?: unknown;
      };
      return {
        status: reply.status,
        ...(reply.status === 'ok' ? { value: reply.value } : {}),
        ...(reply.error ? { error: reply.error } : {}),
        cpuSec: reply.cpu,
        wallMs,
        cached: false,
      };
    } catch {
      return { status: 'crashed', error: 'NoResult', cpuSec: 0, wallMs, cached: false };
    }
  } finally {
    await dir.dispose();
  }
}

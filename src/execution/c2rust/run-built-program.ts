import type { ExecutionLimits } from '../execution-types.ts';
import { type C2RustWorkbench, stepKey } from './c2rust-workbench.ts';
import type { ProgramRun, ProgramTest } from './program-test.ts';

/**
 * Runs a built binary (kept by content hash) on one test input in a fresh working directory, sandboxed and under
 * the limits. Cached by (binary hash, input, limits, env); runs that hit the time limit are not cached (timing
 * is load-sensitive).
 */
export async function runBuiltProgram(
  bench: C2RustWorkbench,
  binary: { hash: string; path: string; language: 'c' | 'rust' },
  test: Pick<ProgramTest, 'stdin' | 'args'>,
  limits: ExecutionLimits,
  options: { env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<ProgramRun> {
  const key = stepKey(
    'run',
    binary.hash,
    JSON.stringify(test.stdin ?? null),
    JSON.stringify(test.args ?? []),
    JSON.stringify(limits),
    JSON.stringify(options.env ?? {}),
  );
  return bench.cached(
    key,
    async () => {
      const outcome = await bench.step(
        'run',
        {
          language: binary.language,
          files: {},
          binaries: { program: binary.path },
          argv: () => ['./program', ...(test.args ?? [])],
          limits,
          ...(options.env ? { env: () => options.env! } : {}),
          stdin: test.stdin ?? '',
        },
        options.signal,
      );
      return {
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        timedOut: outcome.timedOut,
        outputLimitExceeded: outcome.outputLimitExceeded,
        durationMs: outcome.durationMs,
      };
    },
    (run) => !run.timedOut,
  );
}

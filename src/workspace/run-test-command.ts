import type { SandboxMode, SandboxSetting } from '../execution/execution-types.ts';
import { runProcess } from '../execution/process/run-process.ts';
import { scrubWorkdir } from '../execution/scrub-volatile.ts';

export interface TestCommandOptions {
  /** The worktree: the command's cwd and the only writable directory under the sandbox. */
  workdir: string;
  sandbox: SandboxSetting;
  timeoutMs: number;
  /** Cap on the captured output; the middle is cut so both the first failures and the summary survive. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export interface TestCommandResult {
  passed: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** stdout and stderr interleaved in arrival order, with the worktree path replaced by `.`. */
  output: string;
  outputTruncated: boolean;
  /** The shell could not run the command at all (not found, not executable, sandbox failed). */
  failedToStart: boolean;
  durationMs: number;
  sandbox: SandboxMode;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024;

/**
 * Runs `sh -c <command>` in the worktree through the process layer (runProcess): the execution sandbox
 * (read-only system, no network, only the worktree writable), no rlimits (the repository's toolchain needs what it
 * needs), stdout and stderr merged in arrival order with the middle cut past `maxOutputBytes`, the whole process
 * group killed on timeout, and whatever the command leaves running killed when it exits. Never throws for a
 * failing command (the verdict is in the result); throws the abort reason when `signal` aborts.
 */
export async function runTestCommand(command: string, options: TestCommandOptions): Promise<TestCommandResult> {
  const started = performance.now();
  try {
    const outcome = await runProcess({
      argv: ['/bin/sh', '-c', command],
      workdir: options.workdir,
      sandbox: options.sandbox,
      limits: { wallMs: options.timeoutMs, outputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT },
      output: 'merged',
      pathPrefix: (process.env.PATH ?? '').split(':').filter((dir) => dir !== ''),
      env: TEST_ENVIRONMENT,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      passed: !outcome.timedOut && outcome.exitCode === 0,
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      timedOut: outcome.timedOut,
      output: normaliseTestOutput(outcome.stdout, options.workdir),
      outputTruncated: outcome.stdoutTruncated,
      failedToStart: outcome.exitCode === 126 || outcome.exitCode === 127,
      durationMs: outcome.durationMs,
      sandbox: outcome.sandbox,
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const spawnError = error as NodeJS.ErrnoException;
    return {
      passed: false,
      exitCode: null,
      signal: null,
      timedOut: false,
      output: `cannot start the test command: ${spawnError.code ?? spawnError.message}`,
      outputTruncated: false,
      failedToStart: true,
      durationMs: Math.round(performance.now() - started),
      sandbox: options.sandbox === 'none' ? 'rlimit-only' : 'bwrap',
    };
  }
}

/**
 * On top of the process layer's scrubbed environment (PATH, LANG): HOME and TMPDIR in the sandbox's private /tmp
 * (not the worktree, where files would show up as changes), no colours, and no bytecode files in the worktree.
 */
const TEST_ENVIRONMENT: Record<string, string> = {
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
  TERM: 'dumb',
  NO_COLOR: '1',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONHASHSEED: '0',
};

/**
 * Removes what changes between two runs of the same tests: the worktree's absolute path (it contains the
 * run id) and the timings runners print. Keeps recorded prompts identical under replay.
 */
export function normaliseTestOutput(output: string, workdir: string): string {
  return scrubWorkdir(output, workdir, { fileUrls: true })
    .replace(/^(Ran \d+ tests? in )\d+(\.\d+)?s$/gm, '$1<time>s')
    .replace(/\bduration_ms:? [\d.]+/g, 'duration_ms <time>')
    .replace(/( in )\d+\.\d+s\b/g, '$1<time>s');
}

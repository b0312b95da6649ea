import { constants } from 'node:os';
import type { ExecutionLimits, SandboxMode, SandboxSetting } from '../execution-types.ts';
import { bubblewrapCommand, resolveSandboxMode } from '../sandbox/sandbox-command.ts';
import { killAllAndWait } from './kill-run-processes.ts';
import { OutputCapture } from './output-capture.ts';
import { rlimitCommand } from './rlimit-command.ts';
import type { RunIdentity } from './run-identity.ts';
import { sandboxEnvironment } from './sandbox-environment.ts';
import { startProcess } from './start-process.ts';

/** What this layer enforces itself, without rlimits: the wall clock and the output cap. */
export type ProcessLimits = Pick<ExecutionLimits, 'wallMs' | 'outputBytes'>;

export interface RunProcessOptions {
  /** Program and arguments, absolute paths preferred (inside bwrap, /root and /home are private). */
  argv: string[];
  /** Existing working directory; the only writable place (see createWorkingDirectory). */
  workdir: string;
  sandbox: SandboxSetting;
  /**
   * Full ExecutionLimits: the program also runs under those rlimits (prlimit). ProcessLimits (wall clock and
   * output cap only): no rlimits, for a command that brings its own toolchain (a repository's test command).
   */
  limits: ExecutionLimits | ProcessLimits;
  /**
   * 'separate' (default): stdout and stderr are captured apart, each keeping its first `outputBytes`, and the run is
   * killed when either overflows. 'merged': both go into one capture in arrival order (returned as `stdout`;
   * `stderr` is ''), keeping the first and last halves of `outputBytes`, and the run goes on.
   */
  output?: 'separate' | 'merged';
  /** The run's own uid (allocateRunIdentity); required for RLIMIT_NPROC to bind when we are root. */
  identity?: RunIdentity;
  /** Extra environment on top of the scrubbed minimum; secret-looking names are dropped. */
  env?: Record<string, string>;
  /** Directories prepended to PATH. */
  pathPrefix?: string[];
  /** Paths under /root, /home or /tmp the program needs to see (toolchains). */
  readOnlyBinds?: string[];
  /** Written to stdin, which is then closed; stdin is closed immediately when absent. */
  stdin?: string;
  signal?: AbortSignal;
}

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** Our wall-clock timer fired and killed the run. */
  timedOut: boolean;
  /** stdout or stderr went past `limits.outputBytes` and the run was killed ('separate' output only). */
  outputLimitExceeded: boolean;
  sandbox: SandboxMode;
}

const STREAM_DRAIN_MS = 2000;

function hasRlimits(limits: ExecutionLimits | ProcessLimits): limits is ExecutionLimits {
  return 'cpuMs' in limits;
}

function wrap(options: RunProcessOptions, mode: SandboxMode): { file: string; args: string[] } {
  const limited = hasRlimits(options.limits) ? rlimitCommand(options.limits, options.argv) : options.argv;
  const identity = options.identity;
  if (mode === 'bwrap') {
    return bubblewrapCommand(limited, {
      workdir: options.workdir,
      readOnlyBinds: options.readOnlyBinds,
      dropPrivileges: identity,
    });
  }
  if (identity) {
    // Without bwrap: switch to the run's uid, keeping only CAP_DAC_READ_SEARCH (ambient) so toolchains under a
    // 0700 /root (pyenv, rustup) stay readable. Nothing is writable outside the working directory, and
    // RLIMIT_NPROC binds because the real uid is no longer root. Reading is not confined: see docs/execution.md.
    const [file, ...args] = [
      'setpriv',
      `--reuid=${identity.uid}`,
      `--regid=${identity.gid}`,
      '--clear-groups',
      '--inh-caps=-all,+dac_read_search',
      '--ambient-caps=+dac_read_search',
      '--bounding-set=-all,+dac_read_search',
      // access(2) drops capabilities for a non-root real uid unless SECBIT_NO_SETUID_FIXUP is set; gcc's driver
      // uses access() to find the linker inside the rustup sysroot.
      '--securebits=+no_setuid_fixup',
      '--no-new-privs',
      '--',
      ...limited,
    ] as [string, ...string[]];
    return { file, args };
  }
  const [file, ...args] = limited as [string, ...string[]];
  return { file, args };
}

/**
 * Spawns one program in the sandbox (or with rlimits only), in its own process group, with a scrubbed
 * environment; captures capped output (see `output`); kills the whole group on the wall limit, on output overflow
 * ('separate' output) and on abort; and after the program ends kills anything it left running. Throws when the
 * program cannot be spawned at all, and the abort reason when aborted.
 */
export async function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  const mode = resolveSandboxMode(options.sandbox);
  const { file, args } = wrap(options, mode);
  const env = sandboxEnvironment(options.workdir, { pathPrefix: options.pathPrefix, extra: options.env });
  const merged = options.output === 'merged';
  const cap = options.limits.outputBytes;
  const stdout = new OutputCapture(cap, merged ? Math.floor(cap / 2) : 0);
  const stderr = merged ? stdout : new OutputCapture(cap);
  let timedOut = false;
  let outputLimitExceeded = false;
  let aborted = false;

  options.signal?.throwIfAborted();
  const started = performance.now();
  const { child, kill: killRun } = startProcess([file, ...args], { cwd: options.workdir, env });

  const timer = setTimeout(() => {
    timedOut = true;
    killRun();
  }, options.limits.wallMs);
  const onAbort = () => {
    aborted = true;
    killRun();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const capture = (into: OutputCapture) => (chunk: Buffer) => {
    if (!into.push(chunk) && !merged && !outputLimitExceeded) {
      outputLimitExceeded = true;
      killRun();
    }
  };
  child.stdout.on('data', capture(stdout));
  child.stderr.on('data', capture(stderr));
  child.stdin.on('error', () => {
    // EPIPE: the program exited or closed stdin without reading it.
  });
  child.stdin.end(options.stdin ?? '');

  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>(
    (resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
      child.on('error', (error) => resolve({ code: null, signal: null, spawnError: error }));
    },
  );
  const durationMs = Math.round(performance.now() - started);
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);

  // Stragglers: whatever the program started and left behind dies now, even if it left the process group.
  killRun();
  if (options.identity) {
    await killAllAndWait(options.identity);
  }
  const drained = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STREAM_DRAIN_MS).unref()),
  ]);
  if (!drained) {
    child.stdout.destroy();
    child.stderr.destroy();
  }

  if (exit.spawnError) throw exit.spawnError;
  const { exitCode, signal } =
    mode === 'bwrap' ? unwrapBwrapStatus(exit.code, exit.signal) : { exitCode: exit.code, signal: exit.signal };
  if (aborted) throw options.signal?.reason ?? new DOMException('execution aborted', 'AbortError');
  return {
    exitCode,
    signal,
    stdout: stdout.text(),
    stderr: merged ? '' : stderr.text(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: merged ? false : stderr.truncated,
    durationMs,
    timedOut,
    outputLimitExceeded,
    sandbox: mode,
  };
}

/** bwrap reports a sandboxed program killed by signal N as exit status 128 + N. */
function unwrapBwrapStatus(
  code: number | null,
  signal: string | null,
): { exitCode: number | null; signal: string | null } {
  if (signal !== null || code === null || code <= 128 || code > 128 + 64) return { exitCode: code, signal };
  const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
  return name ? { exitCode: null, signal: name } : { exitCode: code, signal };
}

import { spawn } from 'node:child_process';
import { sandboxCommand, type SandboxCommandOptions } from '../execution/sandbox/sandbox-command.ts';
import type { SandboxMode } from '../execution/execution-types.ts';
import { scrubWorkdir } from '../execution/scrub-volatile.ts';

export interface TestCommandOptions {
  /** The worktree: the command's cwd and the only writable directory under the sandbox. */
  workdir: string;
  sandbox: SandboxCommandOptions['sandbox'];
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
 * Runs `sh -c <command>` in the worktree through the execution sandbox (read-only system, no network,
 * only the worktree writable), kills the whole process group on timeout, and never throws for a failing
 * command: the verdict is in the result.
 */
export function runTestCommand(command: string, options: TestCommandOptions): Promise<TestCommandResult> {
  const wrapped = sandboxCommand(['/bin/sh', '-c', command], { workdir: options.workdir, sandbox: options.sandbox });
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const started = performance.now();
  return new Promise((resolveResult) => {
    const child = spawn(wrapped.file, wrapped.args, {
      cwd: options.workdir,
      env: testEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let captured = 0;
    let dropped = false;
    let tail: Buffer[] = [];
    let tailBytes = 0;
    const collect = (chunk: Buffer) => {
      if (captured < maxBytes / 2) {
        const take = chunk.subarray(0, maxBytes / 2 - captured);
        chunks.push(take);
        captured += take.length;
        chunk = chunk.subarray(take.length);
        if (chunk.length === 0) return;
      }
      tail.push(chunk);
      tailBytes += chunk.length;
      while (tailBytes > maxBytes / 2 && tail.length > 0) {
        const first = tail[0]!;
        const excess = tailBytes - maxBytes / 2;
        if (first.length <= excess) {
          tail.shift();
          tailBytes -= first.length;
        } else {
          tail[0] = first.subarray(excess);
          tailBytes -= excess;
        }
        dropped = true;
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const head = Buffer.concat(chunks).toString('utf8');
      const rest = Buffer.concat(tail).toString('utf8');
      let output = dropped ? `${head}\n[... output cut ...]\n${rest}` : head + rest;
      if (spawnError) output += `${output ? '\n' : ''}cannot start ${wrapped.file}: ${spawnError.code ?? spawnError.message}`;
      output = normaliseTestOutput(output, options.workdir);
      const failedToStart = spawnError !== undefined || exitCode === 126 || exitCode === 127;
      resolveResult({
        passed: !timedOut && exitCode === 0,
        exitCode,
        signal,
        timedOut,
        output,
        outputTruncated: dropped,
        failedToStart,
        durationMs: Math.round(performance.now() - started),
        sandbox: wrapped.mode,
      });
    });
  });
}

/** A small, fixed environment: no API keys leak into tests, and no bytecode files appear in the worktree. */
function testEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: '/tmp',
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
  };
}

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

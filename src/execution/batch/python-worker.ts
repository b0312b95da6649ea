import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SandboxMode } from '../execution-types.ts';
import type { RunIdentity } from '../process/run-identity.ts';
import { sandboxEnvironment } from '../process/sandbox-environment.ts';
import { createWorkingDirectory, type WorkingDirectory } from '../process/working-directory.ts';
import { sandboxCommand } from '../sandbox/sandbox-command.ts';
import { BatchWorkerError } from './batch-worker-error.ts';

export const ZYGOTE_SCRIPT = fileURLToPath(new URL('./python/batch-zygote.py', import.meta.url));

/**
 * One job for a zygote: a candidate against a registered suite, a whole program under one timer, or (zygotes
 * started for calls only) a harness's run(job) on one JSON job under a CPU limit, `limit` being its wall ceiling.
 */
export type ZygoteJob =
  | { op: 'matrix'; suite: string; program: string; limit: number }
  | { op: 'program'; source: string; timeout: number; limit: number }
  | { op: 'call'; harnessKey: string; harnessSource: string; job: string; cpuSec: number; limit: number };

export interface SuiteDefinition {
  key: string;
  tests: readonly string[];
  timeoutSec: number;
  /** A test that cannot compile in the harness loses every candidate's vector (the reference); else it just fails. */
  strict: boolean;
}

/** What a zygote answers for one job (see batch-zygote.py). */
export interface ZygoteReply {
  id: number;
  status: string;
  passed?: string | null;
  /** Durations in tenths of a millisecond. */
  d?: number[];
  t?: number[];
  error?: string | null;
  ms: number;
  /** Calls: CPU seconds of the call's process (its rusage). */
  cpu?: number;
  /** Calls: run(job)'s value as JSON text, when it returned. */
  value?: string;
}

/**
 * `reuse`: a forked runner serves consecutive jobs, each in a fresh namespace, and is replaced by a fresh fork as
 * soon as a job leaves anything behind (batch-zygote.py lists what is checked); needs bubblewrap's PID namespace.
 * `fork`: a fresh fork per job (always so in the rlimit-only fallback).
 */
export type BatchIsolation = 'reuse' | 'fork';

export interface WorkerSpawnSpec {
  python: string;
  isolation: BatchIsolation;
  readOnlyBinds: string[];
  pathPrefix: string[];
  sandbox: 'auto' | 'bwrap' | 'none';
  identity?: RunIdentity;
  /** A zygote for harness calls: a normal interpreter, without CodeT's reliability guard; serves calls only. */
  calls?: boolean;
}

interface InFlight {
  id: number;
  call?: boolean;
  resolve(reply: ZygoteReply): void;
  fail(error: Error): void;
  timer: NodeJS.Timeout;
}

const SUITE_CAPACITY = 4000;
/** Distinct harness modules a calls zygote holds before it forgets them all (each is a module in its memory). */
const HARNESS_CAPACITY = 64;
/** The zygote enforces limits itself; this only catches a zygote that stopped answering. */
const BACKSTOP_MS = 15_000;

/** One warm Python zygote inside the sandbox, speaking JSON lines. */
export class PythonWorker {
  readonly inflight = new Map<number, InFlight>();
  private readonly suites = new Set<string>();
  private readonly harnesses = new Set<string>();
  private child: ChildProcessWithoutNullStreams | undefined;
  private workdir: WorkingDirectory | undefined;
  private buffer = '';
  private stderr = '';
  private dead = false;
  mode: SandboxMode = 'rlimit-only';
  pythonVersion = '';

  constructor(
    private readonly spec: WorkerSpawnSpec,
    private readonly onDeath: (worker: PythonWorker, error: Error) => void,
  ) {}

  get alive(): boolean {
    return !this.dead && this.child !== undefined;
  }

  async start(): Promise<void> {
    this.workdir = await createWorkingDirectory(this.spec.identity);
    const command = sandboxCommand([this.spec.python, '-s', '-B', ZYGOTE_SCRIPT], {
      workdir: this.workdir.path,
      sandbox: this.spec.sandbox,
      readOnlyBinds: [...this.spec.readOnlyBinds, ZYGOTE_SCRIPT],
      dropPrivileges: this.spec.identity,
    });
    this.mode = command.mode;
    const args = [
      ...command.args,
      ...(command.mode === 'bwrap' ? ['--pid-namespace'] : []),
      ...(this.spec.isolation === 'fork' ? ['--isolation=fork'] : []),
      ...(this.spec.calls ? ['--calls'] : []),
    ];
    const env = sandboxEnvironment(this.workdir.path, {
      pathPrefix: this.spec.pathPrefix,
      // Fixed string hashing keeps set/dict iteration order, and so every verdict, reproducible across runs.
      extra: { PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', OMP_NUM_THREADS: '1' },
    });
    const child = spawn(command.file, args, { cwd: this.workdir.path, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8000);
    });
    child.stdin.on('error', () => {});
    const hello = new Promise<void>((resolve, reject) => {
      const onFirst = (line: string): void => {
        try {
          const message = JSON.parse(line) as { hello?: number; python?: string };
          if (message.hello === undefined) throw new Error(`unexpected first line: ${line.slice(0, 200)}`);
          this.pythonVersion = message.python ?? '';
          resolve();
        } catch (error) {
          reject(new BatchWorkerError(this.spec.python, (error as Error).message, this.stderr));
        }
      };
      this.lineHandler = onFirst;
      child.once('exit', (code, signal) =>
        reject(
          new BatchWorkerError(
            this.spec.python,
            `exited during start-up (code ${code}, signal ${signal})`,
            this.stderr,
          ),
        ),
      );
      child.once('error', (error) => reject(new BatchWorkerError(this.spec.python, error.message, this.stderr)));
    });
    child.stdout.on('data', (chunk: string) => this.onData(chunk));
    child.on('exit', (code, signal) =>
      this.die(new BatchWorkerError(this.spec.python, `worker exited (code ${code}, signal ${signal})`, this.stderr)),
    );
    child.on('error', (error) => this.die(new BatchWorkerError(this.spec.python, error.message, this.stderr)));
    await hello;
    this.lineHandler = (line) => this.onReply(line);
  }

  private lineHandler: (line: string) => void = () => {};

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim()) this.lineHandler(line);
      newline = this.buffer.indexOf('\n');
    }
  }

  private onReply(line: string): void {
    const [id, ms, body] = splitTwice(line);
    const job = id ? this.inflight.get(Number(id)) : undefined;
    const reply =
      id && ms && body !== undefined ? (job?.call ? callReply : matrixReply)(Number(id), Number(ms), body) : undefined;
    if (!reply) {
      this.kill(new BatchWorkerError(this.spec.python, `unreadable reply: ${line.slice(0, 200)}`, this.stderr));
      return;
    }
    if (!job) return;
    this.inflight.delete(reply.id);
    clearTimeout(job.timer);
    job.resolve(reply);
  }

  /** Sends a job (and its suite first, if this worker has not compiled it yet). */
  send(
    id: number,
    job: ZygoteJob,
    suite: SuiteDefinition | undefined,
    resolve: (r: ZygoteReply) => void,
    fail: (e: Error) => void,
  ): void {
    const child = this.child;
    if (!child || this.dead) {
      fail(new BatchWorkerError(this.spec.python, 'worker is not running'));
      return;
    }
    // A header line `<id> <op> <limit> <suite key or -> <timer> <payload bytes>`, then the payload (batch-zygote.py).
    const chunks: string[] = [];
    const message = (header: string, payload: string): void => {
      chunks.push(`${header} ${Buffer.byteLength(payload)}\n`, payload);
    };
    if (suite && !this.suites.has(suite.key)) {
      if (this.suites.size >= SUITE_CAPACITY) {
        this.suites.clear();
        this.harnesses.clear();
        message('0 reset 0 - 0', '');
      }
      this.suites.add(suite.key);
      message(
        `0 suite 0 ${suite.key} 0`,
        JSON.stringify({ tests: suite.tests, timeout: suite.timeoutSec, strict: suite.strict }),
      );
    }
    if (job.op === 'call' && !this.harnesses.has(job.harnessKey)) {
      if (this.harnesses.size >= HARNESS_CAPACITY) {
        // the zygote reaches the reset after every job sent before it, which found their harness registered
        this.harnesses.clear();
        this.suites.clear();
        message('0 reset 0 - 0', '');
      }
      this.harnesses.add(job.harnessKey);
      message(`0 harness 0 ${job.harnessKey} 0`, job.harnessSource);
    }
    if (job.op === 'matrix') message(`${id} matrix ${job.limit} ${job.suite} 0`, job.program);
    else if (job.op === 'program') message(`${id} program ${job.limit} - ${job.timeout}`, job.source);
    else message(`${id} call ${job.limit} ${job.harnessKey} ${job.cpuSec}`, job.job);
    const text = chunks.join('');
    const timer = setTimeout(
      () =>
        this.kill(
          new BatchWorkerError(this.spec.python, `no answer ${BACKSTOP_MS} ms after the job's limit`, this.stderr),
        ),
      job.limit * 1000 + BACKSTOP_MS,
    );
    this.inflight.set(id, { id, resolve, fail, timer, ...(job.op === 'call' ? { call: true } : {}) });
    child.stdin.write(text);
  }

  private usageSerial = 0;

  /**
   * [zygote CPU s, its children's CPU s, zygote page faults, children's page faults, forks] so far, and why runners
   * were replaced (`reason:count;...`). Retires the live runner, whose CPU counts only once it is reaped.
   */
  usage(): Promise<{ counts: number[]; retired: string }> {
    return new Promise((resolve, reject) => {
      const child = this.child;
      if (!child || this.dead) return resolve({ counts: [0, 0, 0, 0, 0], retired: '' });
      // ids above any job id; the zygote answers between two jobs
      const id = 2 ** 52 + this.usageSerial++;
      const timer = setTimeout(() => reject(new BatchWorkerError(this.spec.python, 'no usage answer')), 60_000);
      this.inflight.set(id, {
        id,
        resolve: (reply) => resolve({ counts: reply.t ?? [], retired: reply.error ?? '' }),
        fail: reject,
        timer,
      });
      child.stdin.write(`${id} usage 0 - 0 0\n`);
    });
  }

  /** Lets Node exit while the worker idles, and holds it open again while jobs are in flight. */
  setReferenced(referenced: boolean): void {
    const child = this.child;
    if (!child) return;
    const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
    for (const handle of handles) {
      if (referenced) handle.ref();
      else handle.unref();
    }
  }

  kill(error: Error): void {
    this.child?.kill('SIGKILL');
    this.die(error);
  }

  /** Closes stdin; the zygote finishes what it has and exits. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.dead) {
      await this.workdir?.dispose();
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    await this.workdir?.dispose();
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.onDeath(this, error);
    void this.workdir?.dispose().catch(() => {});
  }
}

/** `<status>|<error>|<passed>|<durations>|<fired>` (matrix, program, usage). */
function matrixReply(id: number, ms: number, body: string): ZygoteReply | undefined {
  const [status, error, passed, durations, fired] = body.split('|');
  if (status === undefined || fired === undefined) return undefined;
  return { id, ms, status, error: error || null, passed: passed || null, d: numbers(durations!), t: numbers(fired) };
}

/** `<status>|<error>|<CPU s>|<value JSON>` (call); the value is the rest of the line and may hold `|`. */
function callReply(id: number, ms: number, body: string): ZygoteReply | undefined {
  const first = body.indexOf('|');
  const second = body.indexOf('|', first + 1);
  const third = body.indexOf('|', second + 1);
  if (first < 0 || second < 0 || third < 0) return undefined;
  const value = body.slice(third + 1);
  return {
    id,
    ms,
    status: body.slice(0, first),
    error: body.slice(first + 1, second) || null,
    cpu: Number(body.slice(second + 1, third)),
    ...(value ? { value } : {}),
  };
}

function splitTwice(line: string): [string?, string?, string?] {
  const first = line.indexOf(' ');
  const second = line.indexOf(' ', first + 1);
  if (first < 0 || second < 0) return [];
  return [line.slice(0, first), line.slice(first + 1, second), line.slice(second + 1)];
}

function numbers(list: string): number[] {
  return list ? list.split(',').map(Number) : [];
}

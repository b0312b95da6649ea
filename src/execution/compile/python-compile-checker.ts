import { tmpdir } from 'node:os';
import { testInTryBlock } from '../../techniques/codet/extract-tests.ts';
import { sandboxEnvironment } from '../process/sandbox-environment.ts';
import { type StartedProcess, startProcess } from '../process/start-process.ts';
import { resolveToolchain } from '../toolchain.ts';
import { TestCompileCheckError } from './test-compile-check-error.ts';

// One JSON list of sources per input line → one JSON list of booleans per output line. `except Exception` on
// purpose: it is CodeT's reference rule (SyntaxError, ValueError on NUL bytes, RecursionError). stdin is read as
// bytes and decoded here, so the answer does not depend on the locale.
const SERVER = `
import json, sys, warnings
warnings.simplefilter('ignore')
for line in sys.stdin.buffer:
    out = []
    for source in json.loads(line.decode('utf-8', 'surrogatepass')):
        try:
            compile(source, '', 'exec')
            out.append(True)
        except Exception:
            out.append(False)
    sys.stdout.write(json.dumps(out) + '\\n')
    sys.stdout.flush()
`;

/** Bytes of the server's stderr kept for an error message. */
const STDERR_TAIL = 2000;

export interface PythonCompileCheckerOptions {
  /** Interpreter; default: the python3 that runs the tests (resolveToolchain('python')). */
  python?: string;
  /** The server closes itself after this long without requests (default 1000 ms) and restarts on the next one. */
  idleMs?: number;
}

/**
 * Python's `compile()` for many sources, from one warm python3 shared by concurrent graph runs (a process per
 * task would pay a python start-up each). Spawned through the process layer: own process group, the scrubbed
 * environment, killed with its group on close. While idle it does not keep Node alive.
 */
export class PythonCompileChecker {
  private worker: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;

  constructor(private readonly options: PythonCompileCheckerOptions = {}) {
    this.idleMs = options.idleMs ?? 1000;
  }

  /** The subset of `tests` that compile inside an indented try/except block; duplicates are checked once. */
  async compilable(tests: Iterable<string>, wrap: (test: string) => string = testInTryBlock): Promise<Set<string>> {
    const distinct = [...new Set(tests)];
    if (distinct.length === 0) return new Set();
    const verdicts = await this.compiles(distinct.map(wrap));
    return new Set(distinct.filter((_, i) => verdicts[i] === true));
  }

  /** Whether each source compiles as a module (`compile(source, '', 'exec')` raises no Exception). */
  async compiles(sources: readonly string[]): Promise<boolean[]> {
    if (sources.length === 0) return [];
    const worker = await this.ensureWorker();
    const verdicts = await this.request(worker, [...sources]);
    if (verdicts.length !== sources.length) {
      throw new TestCompileCheckError(worker.python, `expected ${sources.length} verdicts, got ${verdicts.length}`);
    }
    return verdicts;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.process.child.stdin.end();
    worker.process.kill();
  }

  private request(worker: Worker, sources: string[]): Promise<boolean[]> {
    clearTimeout(this.idleTimer);
    setReferenced(worker.process, true);
    return new Promise<boolean[]>((resolve, reject) => {
      // The server may have died (or failed to spawn) before this request got to it.
      if (worker.failure !== undefined) return reject(new TestCompileCheckError(worker.python, worker.failure));
      worker.waiting.push({ resolve, reject });
      worker.process.child.stdin.write(`${JSON.stringify(sources)}\n`);
    }).finally(() => this.scheduleIdleClose());
  }

  private scheduleIdleClose(): void {
    if (this.worker !== undefined && this.worker.waiting.length > 0) return;
    if (this.worker) setReferenced(this.worker.process, false);
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private async ensureWorker(): Promise<Worker> {
    if (this.worker) return this.worker;
    const python = this.options.python ?? (await resolveToolchain('python')).tools.python3!;
    // Another request may have started the server while the toolchain was being resolved.
    if (this.worker) return this.worker;
    const cwd = tmpdir();
    let started: StartedProcess;
    try {
      started = startProcess([python, '-I', '-u', '-c', SERVER], { cwd, env: sandboxEnvironment(cwd) });
    } catch (error) {
      throw new TestCompileCheckError(python, (error as Error).message);
    }
    const worker: Worker = { python, process: started, waiting: [] };
    this.worker = worker;
    const { child } = started;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (buffer + chunk.toString('utf8')).split('\n');
      buffer = lines.pop() ?? ''; // the unfinished last line
      for (const line of lines) {
        const waiter = worker.waiting.shift();
        try {
          waiter?.resolve(JSON.parse(line) as boolean[]);
        } catch (error) {
          waiter?.reject(new TestCompileCheckError(python, `unreadable output: ${(error as Error).message}`));
        }
      }
    });
    const failAll = (detail: string) => {
      worker.failure ??= detail;
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of worker.waiting.splice(0)) waiter.reject(new TestCompileCheckError(python, detail));
    };
    child.on('error', (error) => failAll(error.message));
    child.on('close', (code, signal) => failAll(`exited with ${signal ?? `code ${code}`}: ${stderr}`));
    child.stdin.on('error', () => undefined); // reported through 'close'
    return worker;
  }
}

function setReferenced({ child }: StartedProcess, referenced: boolean): void {
  const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
  for (const handle of handles) {
    if (referenced) handle.ref?.();
    else handle.unref?.();
  }
}

interface Worker {
  python: string;
  process: StartedProcess;
  /** Why the server is gone, once it is. */
  failure?: string;
  waiting: { resolve: (verdicts: boolean[]) => void; reject: (error: Error) => void }[];
}

let shared: PythonCompileChecker | undefined;

/** One checker per process, shared by concurrent graph runs. */
export function sharedCompileChecker(): PythonCompileChecker {
  shared ??= new PythonCompileChecker();
  return shared;
}

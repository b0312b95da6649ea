import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { testInTryBlock } from './extract-tests.ts';
import { TestCompileCheckError } from './test-compile-check-error.ts';

// One JSON list of sources per input line → one JSON list of booleans per output line.
const SERVER = `
import json, sys, warnings
warnings.simplefilter('ignore')
for line in sys.stdin:
    out = []
    for source in json.loads(line):
        try:
            compile(source, '', 'exec')
            out.append(True)
        except Exception:
            out.append(False)
    sys.stdout.write(json.dumps(out) + '\\n')
    sys.stdout.flush()
`;

/**
 * A warm python3 that compile-checks extracted tests for many tasks (a graph run per task would otherwise pay
 * a python start-up each). While idle it does not keep Node alive; it closes itself after `idleMs` without
 * requests and restarts on the next one.
 */
export class PythonCompileChecker {
  private worker: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly python = 'python3',
    private readonly idleMs = 1000,
  ) {}

  /** The subset of `tests` that compile inside an indented try/except block. */
  async compilable(tests: Iterable<string>, wrap: (test: string) => string = testInTryBlock): Promise<Set<string>> {
    const distinct = [...new Set(tests)];
    if (distinct.length === 0) return new Set();
    const verdicts = await this.compiles(distinct.map(wrap));
    return new Set(distinct.filter((_, i) => verdicts[i] === true));
  }

  /** Whether each source compiles as a module (`compile(source, '', 'exec')` raises no Exception). */
  async compiles(sources: readonly string[]): Promise<boolean[]> {
    if (sources.length === 0) return [];
    const verdicts = await this.request([...sources]);
    if (verdicts.length !== sources.length) {
      throw new TestCompileCheckError(this.python, `expected ${sources.length} verdicts, got ${verdicts.length}`);
    }
    return verdicts;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    worker?.child.stdin.end();
  }

  private request(sources: string[]): Promise<boolean[]> {
    clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    setReferenced(worker.child, true);
    return new Promise<boolean[]>((resolve, reject) => {
      worker.waiting.push({ resolve, reject });
      worker.child.stdin.write(`${JSON.stringify(sources)}\n`);
    }).finally(() => this.scheduleIdleClose());
  }

  private scheduleIdleClose(): void {
    if (this.worker !== undefined && this.worker.waiting.length > 0) return;
    if (this.worker) setReferenced(this.worker.child, false);
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const child = spawn(this.python, ['-I', '-u', '-c', SERVER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const worker: Worker = { child, waiting: [] };
    this.worker = worker;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const waiter = worker.waiting.shift();
        try {
          waiter?.resolve(JSON.parse(line) as boolean[]);
        } catch (error) {
          waiter?.reject(new TestCompileCheckError(this.python, `unreadable output: ${(error as Error).message}`));
        }
      }
    });
    const failAll = (detail: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of worker.waiting.splice(0)) waiter.reject(new TestCompileCheckError(this.python, detail));
    };
    child.on('error', (error) => failAll(error.message));
    child.on('close', (code) => failAll(`exited with code ${code}: ${stderr}`));
    child.stdin.on('error', () => undefined); // reported through 'close'
    return worker;
  }
}

function setReferenced(child: ChildProcessWithoutNullStreams, referenced: boolean): void {
  const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
  for (const handle of handles) {
    if (referenced) handle.ref?.();
    else handle.unref?.();
  }
}

interface Worker {
  child: ChildProcessWithoutNullStreams;
  waiting: { resolve: (verdicts: boolean[]) => void; reject: (error: Error) => void }[];
}

let shared: PythonCompileChecker | undefined;

/** One checker per process, shared by concurrent graph runs. */
export function sharedCompileChecker(): PythonCompileChecker {
  return (shared ??= new PythonCompileChecker());
}

import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { CallRunner } from '../../src/execution/mokav/det-calls.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import { BENCH_WORKER_ENV, type FromWorker, type ToWorker } from './bench-worker-messages.ts';

/**
 * A helper process of the bench: the Refinery CLI itself (`bin/refinery.mjs`, from the checkout or the installed
 * package), started with `args` and {@link BENCH_WORKER_ENV}, so it loads the same config and serves pairs. Its
 * executions run here, on `engine` (the bench's one engine, its cache and its Python workers).
 */
export class BenchWorkerProcess<Job, Outcome> {
  /** True once the helper has loaded and waits for pairs; false when it ended (or failed to start) before. */
  readonly ready: Promise<boolean>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (o: Outcome) => void; reject: (e: Error) => void }>();
  /** When the helper was ready (`performance.now()`), if it was. */
  readyAt: number | undefined;
  private nextId = 0;
  private exited = false;
  private cpuMicros = 0;
  private cpuAtReady = 0;

  constructor(
    args: readonly string[],
    private readonly engine: CallRunner,
  ) {
    this.child = fork(join(PACKAGE_ROOT, 'bin', 'refinery.mjs'), [...args], {
      env: { ...process.env, [BENCH_WORKER_ENV]: '1' },
      execArgv: [],
      serialization: 'advanced',
      // stdout belongs to the parent's report; the helper's warnings and errors go to stderr.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let markReady: (ready: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.child.on('message', (message: FromWorker<Outcome>) => {
      if (message.type === 'ready') {
        this.readyAt = performance.now();
        this.cpuAtReady = message.cpuMicros;
        this.cpuMicros = message.cpuMicros;
        markReady(true);
      } else if (message.type === 'exec') void this.exec(message.id, message.request);
      else {
        this.cpuMicros = message.cpuMicros;
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.type === 'done') waiting?.resolve(message.outcome);
        else waiting?.reject(new Error(message.message));
      }
    });
    const ended = (reason: string) => {
      this.exited = true;
      markReady(false);
      for (const waiting of this.pending.values()) waiting.reject(new Error(`bench helper ended: ${reason}`));
      this.pending.clear();
    };
    this.child.on('error', (error) => ended(error.message));
    this.child.on('exit', (code, signal) => ended(signal ?? `exit ${code}`));
  }

  /** Runs one job in the helper; rejects when the helper fails it or ends (the caller runs it elsewhere). */
  run(job: Job): Promise<Outcome> {
    if (this.exited) return Promise.reject(new Error('bench helper ended'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'run', id, job });
    });
  }

  /** CPU seconds the helper spent on jobs (since it was ready). */
  get cpuSeconds(): number {
    return Math.max(0, this.cpuMicros - this.cpuAtReady) / 1e6;
  }

  /** Ends the helper (every job it was given has ended, or it is still starting). */
  close(): void {
    if (!this.exited) this.child.kill();
  }

  private async exec(id: number, request: Parameters<CallRunner['runCalls']>[0]): Promise<void> {
    try {
      this.send({ type: 'exec-result', id, result: await this.engine.runCalls(request) });
    } catch (error) {
      this.send({ type: 'exec-error', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private send(message: ToWorker<Job>): void {
    if (!this.exited && this.child.connected) this.child.send(message);
  }
}

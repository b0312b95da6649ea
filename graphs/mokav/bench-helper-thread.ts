import { Worker } from 'node:worker_threads';
import type { CallRunner } from '../../src/execution/mokav/det-calls.ts';
import type { FromHelper, HelperSetup, ToHelper } from './bench-helper-messages.ts';

/**
 * A helper thread of the bench (bench-helper-entry): it loads the graph once and runs the pairs it is given with
 * the bench's loaded config; its executions run here, on `engine` (the bench's one engine, its cache and its Python
 * workers). From the built package it loads the compiled entry; from the sources (a checkout run through tsx) it
 * registers tsx first.
 */
export class BenchHelperThread<Job, Outcome> {
  /** True once the helper has loaded and waits for pairs; false when it ended (or failed to start) before. */
  readonly ready: Promise<boolean>;
  /** When the helper was ready (`performance.now()`), if it was. */
  readyAt: number | undefined;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (o: Outcome) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private ended = false;

  constructor(
    setup: HelperSetup,
    private readonly engine: CallRunner,
  ) {
    const source = import.meta.url.endsWith('.ts');
    const entry = new URL(`./bench-helper-entry${source ? '.ts' : '.js'}`, import.meta.url);
    this.worker = source
      ? // A thread does not inherit the tsx hooks that bin/refinery.mjs registered: register them in the thread.
        new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`,
          { eval: true, workerData: setup },
        )
      : new Worker(entry, { workerData: setup });
    let markReady: (ready: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.worker.on('message', (message: FromHelper<Outcome>) => {
      if (message.type === 'ready') {
        this.readyAt = performance.now();
        markReady(true);
      } else if (message.type === 'exec') void this.exec(message.id, message.request);
      else {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.type === 'done') waiting?.resolve(message.outcome);
        else waiting?.reject(new Error(message.message));
      }
    });
    const end = (reason: string) => {
      this.ended = true;
      markReady(false);
      for (const waiting of this.pending.values()) waiting.reject(new Error(`bench helper ended: ${reason}`));
      this.pending.clear();
    };
    this.worker.on('error', (error) => end(error.message));
    this.worker.on('exit', (code) => end(`exit ${code}`));
  }

  /** Runs one job in the helper; rejects when the helper fails it or ends (the caller runs it elsewhere). */
  run(job: Job): Promise<Outcome> {
    if (this.ended) return Promise.reject(new Error('bench helper ended'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'run', id, job });
    });
  }

  /** Ends the helper (every job it was given has ended, or it is still starting). */
  async close(): Promise<void> {
    this.ended = true;
    await this.worker.terminate();
  }

  private async exec(id: number, request: Parameters<CallRunner['runCalls']>[0]): Promise<void> {
    try {
      this.send({ type: 'exec-result', id, result: await this.engine.runCalls(request) });
    } catch (error) {
      this.send({ type: 'exec-error', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private send(message: ToHelper<Job>): void {
    if (!this.ended) this.worker.postMessage(message);
  }
}

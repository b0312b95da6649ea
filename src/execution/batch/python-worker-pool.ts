import { existsSync, realpathSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import type { SandboxMode } from '../execution-types.ts';
import { allocateRunIdentity } from '../process/run-identity.ts';
import { resolveToolchain } from '../toolchain.ts';
import { BatchWorkerError } from './batch-worker-error.ts';
import {
  type BatchIsolation,
  PythonWorker,
  type SuiteDefinition,
  type WorkerSpawnSpec,
  type ZygoteJob,
  type ZygoteReply,
} from './python-worker.ts';

export interface PythonWorkerPoolOptions {
  /** Zygotes, one per core by default. More than the cores makes 0.1 s limits load-sensitive. */
  size?: number;
  sandbox?: 'auto' | 'bwrap' | 'none';
  /**
   * Interpreter. Default: `$REFINERY_BATCH_PYTHON`, else the system's /usr/bin/python3, else the python3 the
   * toolchain resolves. The system build links libpython statically: a fork of it copies about 150 fewer pages
   * than a fork of a shared-libpython build (pyenv's), which is most of the cost of a fork on this kind of VM.
   */
  python?: string;
  /** Default: `$REFINERY_BATCH_ISOLATION`, else `reuse` (see BatchIsolation). */
  isolation?: BatchIsolation;
  /**
   * Zygotes for harness calls (`op: 'call'` jobs only): a normal interpreter without CodeT's reliability guard,
   * one fresh fork per call. Usually obtained as `pool.forCalls()`.
   */
  calls?: boolean;
  /**
   * Calls pools only: extra zygotes for calls that run long. A call that has run `LONG_CALL_MS` no longer holds one
   * of the `size` slots: the next job starts beside it (on an idle or a newly started zygote), up to this many
   * extra at once, so one core never idles behind a run at its CPU limit while the other finishes the queue, and
   * several such runs share the cores instead of queueing. Calls are limited by CPU time, so sharing a core does
   * not change a verdict (the wall ceiling stays: keep it generous). Default 3 × size; 0 turns spilling off.
   */
  spill?: number;
}

export interface PoolUsage {
  cpuSeconds: number;
  pageFaults: number;
  forks: number;
  /** Why runners were replaced by a fresh fork, summed over the workers. */
  retired: Record<string, number>;
}

export interface PoolCounters {
  /** Jobs a zygote actually ran (forked a child for). Cache hits never reach the pool. */
  executed: number;
  /** Workers started, including restarts after a crash. */
  started: number;
}

interface QueuedJob {
  job: ZygoteJob;
  suite: SuiteDefinition | undefined;
  resolve(reply: ZygoteReply): void;
  reject(error: Error): void;
  attempts: number;
  signal?: AbortSignal;
}

const SYSTEM_PYTHON = '/usr/bin/python3';
/** Jobs sent ahead to a zygote so it never waits for Node between two jobs. */
const PIPELINE_DEPTH = 2;
/**
 * A calls zygote gets one job at a time: a job sent ahead would wait behind a long call on its zygote while another
 * zygote idles (the long call spills instead, see `spill`).
 */
const CALLS_PIPELINE_DEPTH = 1;
/** A call running this long counts as long: it frees its slot for the next job (calls pools with `spill`). */
const LONG_CALL_MS = 1000;
/** No extra zygote is started while the machine has less free memory than this. */
const SPILL_MIN_FREE_BYTES = 2 * 1024 ** 3;
const MAX_ATTEMPTS = 2;

/**
 * A fixed set of warm zygotes shared by every caller: jobs from concurrent calls go into one FIFO queue and
 * spread over all workers. Start-up is lazy; idle workers do not keep Node alive.
 */
export class PythonWorkerPool {
  readonly counters: PoolCounters = { executed: 0, started: 0 };
  private readonly size: number;
  private workers: PythonWorker[] = [];
  private readonly queue: QueuedJob[] = [];
  private queueHead = 0;
  private nextId = 1;
  private starting: Promise<void> | undefined;
  private spec: WorkerSpawnSpec | undefined;
  private closed = false;
  private consecutiveFailures = 0;
  private info: { python: string; version: string; mode: SandboxMode; isolation: BatchIsolation } | undefined;
  private readonly inflightJobs = new Map<number, QueuedJob>();
  private callPool: PythonWorkerPool | undefined;
  /** Calls pools: when each busy worker's current job was sent (it starts at once: one job at a time). */
  private readonly busySince = new Map<PythonWorker, number>();
  private readonly spill: number;
  private spillStarting = 0;
  private spillTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PythonWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.spill = options.calls ? Math.max(0, options.spill ?? 3 * this.size) : 0;
  }

  get workerCount(): number {
    return this.size;
  }

  /** Interpreter path, its version and the sandbox mode; starts the workers if needed. */
  async describe(): Promise<{ python: string; version: string; mode: SandboxMode; isolation: BatchIsolation }> {
    await this.ensureStarted();
    if (!this.info) throw new BatchWorkerError(this.options.python ?? 'python3', 'pool has no worker');
    return this.info;
  }

  /**
   * The pool for harness calls: the same interpreter, sandbox and size, its zygotes started without CodeT's
   * guard (they serve calls only). Created on first use, started lazily like this one, closed with it.
   */
  forCalls(): PythonWorkerPool {
    if (this.options.calls) return this;
    if (this.closed) throw new BatchWorkerError(this.options.python ?? 'python3', 'pool is closed');
    this.callPool ??= new PythonWorkerPool({ ...this.options, calls: true });
    return this.callPool;
  }

  /** Resolves with the zygote's reply; rejects only when workers cannot run at all or the signal aborts. */
  async submit(job: ZygoteJob, suite?: SuiteDefinition, signal?: AbortSignal): Promise<ZygoteReply> {
    if (this.closed) throw new BatchWorkerError(this.options.python ?? 'python3', 'pool is closed');
    if ((job.op === 'call') !== (this.options.calls === true))
      throw new BatchWorkerError(
        this.options.python ?? 'python3',
        job.op === 'call' ? 'calls run on pool.forCalls()' : 'a calls pool runs calls only',
      );
    signal?.throwIfAborted();
    await this.ensureStarted();
    return new Promise<ZygoteReply>((resolve, reject) => {
      this.queue.push({ job, suite, resolve, reject, attempts: 0, signal });
      this.pump();
    });
  }

  /** CPU seconds, page faults and forks of the live zygotes and their children so far (for benchmarks). */
  async usage(): Promise<PoolUsage> {
    const all = await Promise.all(this.workers.map((w) => w.usage()));
    const retired: Record<string, number> = {};
    for (const { retired: text } of all) {
      for (const item of text.split(';').filter(Boolean)) {
        const at = item.lastIndexOf(':');
        const reason = item.slice(0, at);
        retired[reason] = (retired[reason] ?? 0) + Number(item.slice(at + 1));
      }
    }
    const sum = (pick: (counts: number[]) => number): number => all.reduce((total, u) => total + pick(u.counts), 0);
    return {
      cpuSeconds: sum((c) => (c[0] ?? 0) + (c[1] ?? 0)),
      pageFaults: sum((c) => (c[2] ?? 0) + (c[3] ?? 0)),
      forks: sum((c) => c[4] ?? 0),
      retired,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.spillTimer);
    const workers = this.workers;
    this.workers = [];
    const calls = this.callPool;
    this.callPool = undefined;
    await Promise.all([...workers.map((w) => w.close()), calls?.close()]);
  }

  private ensureStarted(): Promise<void> {
    this.starting ??= this.startAll().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async resolveSpec(): Promise<WorkerSpawnSpec> {
    if (this.spec) return this.spec;
    const sandbox = this.options.sandbox ?? 'auto';
    const preferred =
      this.options.python ??
      process.env.REFINERY_BATCH_PYTHON ??
      (existsSync(SYSTEM_PYTHON) ? realpathSync(SYSTEM_PYTHON) : undefined);
    const isolation = this.options.isolation ?? parseIsolation(process.env.REFINERY_BATCH_ISOLATION);
    const calls = this.options.calls === true;
    if (preferred) {
      this.spec = { python: preferred, isolation, readOnlyBinds: [], pathPrefix: [], sandbox, calls };
    } else {
      const toolchain = await resolveToolchain('python');
      this.spec = {
        python: toolchain.tools.python3 ?? 'python3',
        isolation,
        readOnlyBinds: toolchain.readOnlyBinds,
        pathPrefix: toolchain.pathPrefix,
        sandbox,
        calls,
      };
    }
    return this.spec;
  }

  private async startAll(): Promise<void> {
    const spec = await this.resolveSpec();
    const workers = await Promise.all(Array.from({ length: this.size }, () => this.startWorker(spec)));
    this.workers.push(...workers);
    const first = workers[0];
    // reuse needs bubblewrap's PID namespace; the zygote falls back to a fork per job without it
    if (first)
      this.info = {
        python: spec.python,
        version: first.pythonVersion,
        mode: first.mode,
        isolation: first.mode === 'bwrap' && !spec.calls ? spec.isolation : 'fork',
      };
    this.updateReferences();
  }

  private async startWorker(spec: WorkerSpawnSpec): Promise<PythonWorker> {
    // One uid per zygote (when root) so RLIMIT_NPROC counts only its own children.
    const worker = new PythonWorker({ ...spec, identity: allocateRunIdentity() }, (dead, error) =>
      this.onWorkerDeath(dead, error),
    );
    await worker.start();
    this.counters.started++;
    return worker;
  }

  private onWorkerDeath(dead: PythonWorker, error: Error): void {
    this.workers = this.workers.filter((w) => w !== dead);
    this.busySince.delete(dead);
    for (const [id, flight] of dead.inflight) {
      clearTimeout(flight.timer);
      const queued = this.inflightJobs.get(id);
      this.inflightJobs.delete(id);
      if (!queued) continue;
      if (queued.attempts >= MAX_ATTEMPTS) queued.resolve({ id, status: 'crashed', error: 'WorkerDied', ms: 0 });
      else this.queue.splice(this.queueHead, 0, queued);
    }
    dead.inflight.clear();
    if (this.closed || !this.spec) return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures > 5) {
      this.failQueue(error);
      return;
    }
    const spec = this.spec;
    void this.startWorker(spec).then(
      (worker) => {
        if (this.closed) {
          void worker.close();
          return;
        }
        this.workers.push(worker);
        this.pump();
      },
      (startError: unknown) => this.failQueue(startError as Error),
    );
  }

  private failQueue(error: Error): void {
    while (this.queueHead < this.queue.length) this.queue[this.queueHead++]?.reject(error);
    this.compactQueue();
  }

  private pump(): void {
    if (this.options.calls) this.pumpCalls();
    else
      for (const worker of this.workers) {
        while (worker.alive && worker.inflight.size < PIPELINE_DEPTH && this.queueHead < this.queue.length)
          this.dispatch(worker);
      }
    this.compactQueue();
    this.updateReferences();
  }

  /**
   * Calls: one job per zygote; `size` slots, plus one for every call that has run LONG_CALL_MS (up to `spill`),
   * on idle zygotes first, then on extra ones started for it.
   */
  private pumpCalls(): void {
    const now = performance.now();
    let busy = 0;
    let long = 0;
    let nextLong = Number.POSITIVE_INFINITY;
    for (const worker of this.workers) {
      if (worker.inflight.size === 0) continue;
      busy++;
      const since = this.busySince.get(worker) ?? now;
      if (now - since >= LONG_CALL_MS) long++;
      else nextLong = Math.min(nextLong, since + LONG_CALL_MS);
    }
    const capacity = this.size + Math.min(this.spill, long);
    for (const worker of this.workers) {
      if (busy >= capacity || this.queueHead >= this.queue.length) break;
      if (!worker.alive || worker.inflight.size >= CALLS_PIPELINE_DEPTH) continue;
      while (this.queueHead < this.queue.length && !this.dispatch(worker)) {
        // its job was aborted: the next one
      }
      if (worker.inflight.size > 0) {
        busy++;
        this.busySince.set(worker, now);
        nextLong = Math.min(nextLong, now + LONG_CALL_MS);
      }
    }
    const waiting = this.queue.length - this.queueHead;
    const room = capacity - busy - this.spillStarting;
    const extra = this.workers.length + this.spillStarting - this.size;
    if (
      waiting > 0 &&
      room > 0 &&
      extra < this.spill &&
      this.spec &&
      !this.closed &&
      freemem() >= SPILL_MIN_FREE_BYTES
    ) {
      const spec = this.spec;
      this.spillStarting++;
      void this.startWorker(spec).then(
        (worker) => {
          this.spillStarting--;
          if (this.closed) {
            void worker.close();
            return;
          }
          this.workers.push(worker);
          this.pump();
        },
        () => {
          // the base workers keep serving; spilling is only an optimisation
          this.spillStarting--;
        },
      );
    }
    clearTimeout(this.spillTimer);
    this.spillTimer = undefined;
    if (this.spill > 0 && waiting > 0 && Number.isFinite(nextLong)) {
      this.spillTimer = setTimeout(() => this.pump(), Math.max(1, nextLong - now));
      this.spillTimer.unref();
    }
  }

  /** Sends the next queued job to the worker; false when the job was dropped (its signal aborted). */
  private dispatch(worker: PythonWorker): boolean {
    const queued = this.queue[this.queueHead++]!;
    if (queued.signal?.aborted) {
      queued.reject(queued.signal.reason as Error);
      return false;
    }
    const id = this.nextId++;
    queued.attempts++;
    this.inflightJobs.set(id, queued);
    worker.send(
      id,
      queued.job,
      queued.suite,
      (reply) => {
        this.inflightJobs.delete(id);
        this.counters.executed++;
        this.consecutiveFailures = 0;
        queued.resolve(reply);
        this.pump();
      },
      (error) => {
        this.inflightJobs.delete(id);
        queued.reject(error);
      },
    );
    return true;
  }

  private compactQueue(): void {
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private updateReferences(): void {
    for (const worker of this.workers) worker.setReferenced(worker.inflight.size > 0);
  }
}

function parseIsolation(value: string | undefined): BatchIsolation {
  if (value === undefined || value === '' || value === 'reuse') return 'reuse';
  if (value === 'fork') return 'fork';
  throw new BatchWorkerError('python3', `REFINERY_BATCH_ISOLATION must be 'reuse' or 'fork', not '${value}'`);
}

let shared: PythonWorkerPool | undefined;

/** The process-wide pool every batch call uses unless given its own; created on first use. */
export function sharedPythonWorkerPool(options?: PythonWorkerPoolOptions): PythonWorkerPool {
  shared ??= new PythonWorkerPool(options);
  return shared;
}

/** Closes the shared pool (tests, benchmarks, CLI shutdown); the next call creates a fresh one. */
export async function closeSharedPythonWorkerPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

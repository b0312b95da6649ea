/**
 * Scale of the job queue and the run store (issue 20 item 5). A synthetic batch of cheap tasks
 * (bench/scale-loop-pipeline.ts: a zero-latency scripted model and executions answered at once, as recorded ones
 * are, so the queue and the store are what is measured) runs:
 *
 *   1. locally, in this process (runBatch, concurrency 1): the baseline and the expected results;
 *   2. through the BullMQ queue (src/queue/: submitBatch here, runQueueWorker in 1, 2 and 4 worker processes),
 *      the runs' state in the batch directory, as a local batch keeps it;
 *   3. the same with --store postgres (F's store: trajectories and checkpoints in PostgreSQL), when available.
 *
 * The queue's overhead per job (target under 5 ms) is measured against the same tasks run without the queue in as
 * many processes as workers, on the same machine, at once (each a local runBatch over its share, warmed by its share
 * of the warm-up tasks, as each worker is by its part of the warm-up batch): what N busy processes cost over one on
 * these cores (contention, each process's own warm-up) is then in the baseline, not in the queue's figure. The
 * local processes stay up beside the workers (both warmed once), and that baseline is taken right before each
 * queued batch (this machine's speed drifts by more than the figure between minutes), `--repeat` rounds of the pair
 * on the same processes: the summary gives the overhead over all rounds (the mean of the pairs) and each round's.
 * The figure against the in-process local batch (1 process) is printed too.
 *
 * For each: wall time and throughput, overhead per job against the local run (target under 5 ms), CPU of the
 * workers and of Redis per job, the Redis commands per task (INFO commandstats before/after) and the PostgreSQL
 * writes per task and per node step (pg_stat_database, pg_stat_user_tables, WAL bytes), and the idle cost of a
 * waiting worker (Redis commands per second). Every queued batch's results must equal the local run's, row by
 * row (status, summary, result, totals but wall time); the bench exits 1 otherwise.
 *
 * Redis and PostgreSQL are the bench's own (started in a temp dir with src/services, stopped at the end), so the
 * counts are this batch's only. Figures on a loaded machine are not the product's: wall times are printed with the
 * load average; counts do not depend on load.
 *
 *   npm run bench:scale
 *   node --import tsx bench/scale-bench.ts [--tasks 200] [--workers 1,2,4] [--repeat 3] [--iterations 4] [--no-store]
 *     [--profile-workers DIR]   (CPU profiles of the worker processes; run the bench with node --cpu-prof for its own)
 *   node --import tsx bench/scale-bench.ts --store-ab [--before CHECKOUT] [--rounds 8] [--block 25]
 *     (the store's cost alone: a worker's job code, runQueueJob without BullMQ, in this process, blocks of tasks
 *     round-robin over the batch directory, the PostgreSQL store and, with --before, another checkout's store;
 *     worker CPU, PostgreSQL's CPU and queries per task)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { shippedPipelines } from '../graphs/index.ts';
import type { BatchResultRow } from '../src/batch/batch-results.ts';
import { runBatch } from '../src/batch/run-batch.ts';
import { queueAddress } from '../src/queue/queue-connection.ts';
import { runQueueWorker } from '../src/queue/queue-worker.ts';
import { runQueueJob } from '../src/queue/run-queue-job.ts';
import { submitBatch } from '../src/queue/submit-batch.ts';
import { createRefinery } from '../src/runtime/create-refinery.ts';
import { startPostgres, stopPostgres } from '../src/services/postgres-service.ts';
import { startRedis, stopRedis } from '../src/services/redis-service.ts';
import { openStore } from '../src/store/open-store.ts';
import { recordedExecutor, scaleLoopPipeline, scriptedModel } from './scale-loop-pipeline.ts';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '200' },
    repeat: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1,2,4' },
    iterations: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '200' },
    'no-store': { type: 'boolean', default: false },
    'store-ab': { type: 'boolean', default: false },
    before: { type: 'string' },
    rounds: { type: 'string', default: '8' },
    block: { type: 'string', default: '25' },
    /** A directory for CPU profiles of the worker and local processes (node --cpu-prof); the bench's own: --cpu-prof. */
    'profile-workers': { type: 'string' },
    // worker mode (the bench's own child processes)
    worker: { type: 'boolean', default: false },
    submitter: { type: 'boolean', default: false },
    queue: { type: 'string' },
    'queue-name': { type: 'string' },
    store: { type: 'string' },
    // local-share mode (the N-process baseline's child processes): runBatch over share K of N
    'local-share': { type: 'string' },
    config: { type: 'string' },
    'tasks-file': { type: 'string' },
    'warmup-file': { type: 'string' },
    scratch: { type: 'string' },
  },
});
const refinery = createRefinery({ pipelines: [...shippedPipelines, scaleLoopPipeline] });
const quiet = () => {};
/** Seconds the workers are watched waiting for work after each batch (their idle Redis traffic). */
const IDLE_SECONDS = 6;

if (values['store-ab']) await storeAbMode();
else if (values.worker) await workerMode();
else if (values.submitter) await submitterMode();
else if (values['local-share']) await localShareMode();
else await main();

/**
 * One process of the N-process local baseline: a local runBatch (no queue) over share K of N of the tasks (every
 * N-th), after a warm-up over its share of the warm-up tasks, as a queue worker is warmed by its part of the warm-up
 * batch. Prints `ready`, runs when it reads `go` (all N at once, contending for the cores as the workers do), then
 * prints its CPU, wall and rows as JSON.
 */
async function localShareMode(): Promise<void> {
  const [k, n] = (values['local-share'] as string).split('/').map(Number) as [number, number];
  const scratch = values.scratch as string;
  const shareOf = (path: string, label: string) => {
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((_, i) => i % n === k);
    const out = join(scratch, `${label}-${k}-of-${n}.jsonl`);
    writeFileSync(out, lines.map((line) => `${line}\n`).join(''));
    return { path: out, count: lines.length };
  };
  const runOptions = { models: { default: scriptedModel }, executor: recordedExecutor, onWarning: quiet };
  const run = (tasksPath: string, label: string) =>
    runBatch({
      refinery,
      configPath: values.config as string,
      tasksPath,
      outDir: join(scratch, `${label}-${k}-of-${n}`),
      concurrency: 1,
      cwd: scratch,
      runOptions,
    });
  if (values['warmup-file']) {
    const warm = shareOf(values['warmup-file'], 'local-warmup');
    if (warm.count > 0) await run(warm.path, 'local-warmup');
  }
  const tasks = shareOf(values['tasks-file'] as string, 'local-tasks');
  process.stdout.write('ready\n');
  // Each `go` runs the share once more (a fresh batch directory each time); stdin closed: done.
  let runs = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'go') continue;
    const cpu = process.cpuUsage();
    const switchesBefore = process.resourceUsage().involuntaryContextSwitches;
    const begin = performance.now();
    const outcome = await run(tasks.path, `local-tasks-${++runs}`);
    const wallMs = performance.now() - begin;
    // Rows numbered as in the whole task set (line i of this share is task k + i * n).
    const rows = outcome.rows.map((row) => ({ ...row, index: k + row.index * n }));
    const switches = process.resourceUsage().involuntaryContextSwitches - switchesBefore;
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs(process.cpuUsage(cpu)), wallMs, rows, switches })}\n`);
  }
  process.exit(0);
}

/**
 * This bench in another process, in one of its modes (`args`), CPU-profiled into `--profile-workers DIR/<profile>`
 * when asked: each line of its stdout but `ready` goes to `onLine`; `ready` resolves when it prints `ready`.
 */
function spawnBenchProcess(
  profile: string,
  args: string[],
  children: Set<ChildProcess>,
  onLine: (line: string, child: ChildProcess) => void,
  stdin: 'pipe' | 'ignore' = 'pipe',
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      ...(values['profile-workers'] ? ['--cpu-prof', '--cpu-prof-dir', join(values['profile-workers'], profile)] : []),
      '--import',
      'tsx',
      resolve(import.meta.dirname, 'scale-bench.ts'),
      ...args,
    ],
    { stdio: [stdin, 'pipe', 'inherit'] },
  );
  children.add(child);
  let isReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    isReady = r;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') isReady();
    else onLine(line, child);
  });
  return { child, ready };
}

interface LocalRun {
  cpuMs: number;
  wallMs: number;
  rows: BatchResultRow[];
  switches: number;
}

/**
 * N processes (localShareMode) that run the same tasks without the queue, each over its share, all at once, each
 * time `run` is called: CPU and wall of all N, the rows. They stay up between runs (warmed once), as queue workers
 * do, so a baseline can be taken right next to each queued batch.
 */
async function startLocalProcesses(options: {
  processes: number;
  configPath: string;
  tasksPath: string;
  warmupPath: string | undefined;
  scratch: string;
  children: Set<ChildProcess>;
}): Promise<{ run(): Promise<LocalRun>; stop(): void }> {
  const dir = mkdtempSync(join(options.scratch, `local-${options.processes}-`));
  const started = Array.from({ length: options.processes }, (_, k) => {
    const waiting: Array<{ done: (run: LocalRun) => void; fail: (error: Error) => void }> = [];
    const { child, ready: isReady } = spawnBenchProcess(
      `local-${options.processes}`,
      [
        '--local-share',
        `${k}/${options.processes}`,
        '--config',
        options.configPath,
        '--tasks-file',
        options.tasksPath,
        ...(options.warmupPath ? ['--warmup-file', options.warmupPath] : []),
        '--scratch',
        dir,
      ],
      options.children,
      (line) => {
        if (line.startsWith('{')) waiting.shift()?.done(JSON.parse(line) as LocalRun);
      },
    );
    child.on('exit', (code) => {
      for (const w of waiting.splice(0)) w.fail(new Error(`local process exited ${code} without a report`));
    });
    const next = () =>
      new Promise<LocalRun>((done, fail) => {
        waiting.push({ done, fail });
        child.stdin!.write('go\n');
      });
    return { child, isReady, next };
  });
  await Promise.all(started.map((p) => p.isReady));
  return {
    async run() {
      const begin = performance.now();
      const reports = await Promise.all(started.map((p) => p.next()));
      const wallMs = performance.now() - begin;
      return {
        cpuMs: reports.reduce((sum, r) => sum + r.cpuMs, 0),
        wallMs,
        rows: reports.flatMap((r) => r.rows).sort((a, b) => a.index - b.index),
        switches: reports.reduce((sum, r) => sum + r.switches, 0),
      };
    },
    stop() {
      for (const { child } of started) {
        child.stdin!.end();
        options.children.delete(child);
      }
    },
  };
}

/** What the submitter process is asked to submit (a JSON line on its stdin). */
interface SubmitRequest {
  redisUrl: string;
  name: string;
  configPath: string;
  tasksPath: string;
  outDir: string;
  cwd: string;
  store?: string;
}

/**
 * The submitter, in its own process as `refinery batch --queue` is (not in the bench's, whose heap holds the local
 * runs): submitBatch for each request line on stdin, then its CPU, wall time and rows as a JSON line.
 */
async function submitterMode(): Promise<void> {
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const request = JSON.parse(line) as SubmitRequest;
    const cpu = process.cpuUsage();
    const begin = performance.now();
    const outcome = await submitBatch({
      refinery,
      address: queueAddress(request.redisUrl, request.name),
      configPath: request.configPath,
      tasksPath: request.tasksPath,
      outDir: request.outDir,
      cwd: request.cwd,
      ...(request.store ? { store: request.store } : {}),
    });
    const wallMs = performance.now() - begin;
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs(process.cpuUsage(cpu)), wallMs, rows: outcome.rows })}\n`);
  }
  process.exit(0);
}

/** Starts a submitter process (submitterMode); `submit` sends it a batch and resolves with its report. */
async function startSubmitter(children: Set<ChildProcess>): Promise<{
  submit(request: SubmitRequest): Promise<{ cpuMs: number; wallMs: number; rows: BatchResultRow[] }>;
  stop(): void;
}> {
  const waiting: Array<(line: string) => void> = [];
  const { child, ready } = spawnBenchProcess('submitter', ['--submitter'], children, (line) => waiting.shift()?.(line));
  await ready;
  return {
    submit: (request) =>
      new Promise((done) => {
        waiting.push((line) => done(JSON.parse(line)));
        child.stdin!.write(`${JSON.stringify(request)}\n`);
      }),
    stop() {
      child.stdin!.end();
      children.delete(child);
    },
  };
}

/** A worker process: runQueueWorker with the scripted model until SIGTERM; prints its CPU and jobs as JSON. */
async function workerMode(): Promise<void> {
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort('bench done'));
  const address = queueAddress(values.queue as string, values['queue-name']);
  const pgTraffic = values.store ? await countPgTraffic() : undefined;
  const cpuAtReady = process.cpuUsage();
  let announced = false;
  const summary = await runQueueWorker({
    refinery,
    address,
    ...(values.store ? { store: values.store, openStore } : {}),
    concurrency: 1,
    signal: stop.signal,
    onLog: (line) => {
      if (!announced && line.startsWith('waiting for a batch')) {
        announced = true;
        process.stdout.write('ready\n');
      }
      // After each job: this process's CPU so far, so the bench can leave the warm-up batch out.
      if (/: started( \(again\))?$/.test(line)) return;
      const used = process.cpuUsage(cpuAtReady);
      process.stdout.write(
        `cpu ${(used.user + used.system) / 1000} ${process.resourceUsage().involuntaryContextSwitches} ${pgTraffic ? pgTraffic().join(' ') : '0 0 0'}\n`,
      );
    },
    runOptions: { models: { default: scriptedModel }, executor: recordedExecutor, onWarning: quiet },
  });
  const cpu = process.cpuUsage(cpuAtReady);
  process.stdout.write(`${JSON.stringify({ ...summary, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}

/**
 * Counts this process's PostgreSQL work (the store's pool): queries sent, and bytes written to and read from the
 * server's sockets. Returns a reader of the totals so far: [queries, bytes out, bytes in].
 */
async function countPgTraffic(): Promise<() => [number, number, number]> {
  const { default: pg } = await import('pg');
  let queries = 0;
  const sockets = new Set<{ bytesWritten: number; bytesRead: number }>();
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (
    this: { connection?: { stream?: { bytesWritten: number; bytesRead: number } } },
    ...args: unknown[]
  ) {
    queries++;
    if (this.connection?.stream) sockets.add(this.connection.stream);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return () => {
    let out = 0;
    let inBytes = 0;
    for (const socket of sockets) {
      out += socket.bytesWritten;
      inBytes += socket.bytesRead;
    }
    return [queries, out, inBytes];
  };
}

function sumMs(kinds: Record<string, number>): number {
  return Object.values(kinds).reduce((sum, ms) => sum + ms, 0);
}

/**
 * CPU (user + system, ms) of a server process and its children, from /proc, by kind of process: `server` (the
 * postmaster's own), `ended` (its reaped children's: ended connections, autovacuum workers), `backends` (live
 * connections) and each live background process by its title. Linux only; none elsewhere.
 */
function processTreeCpu(pid: number): Record<string, number> {
  // PostgreSQL's background processes, by the title they give themselves (`postgres: walwriter`); the rest are
  // backends. (Here, not at the top level: the modes run from the module's top-level await.)
  const BACKGROUND_TITLE =
    /^postgres: (checkpointer|background writer|walwriter|autovacuum launcher|autovacuum worker|logical replication launcher|io worker|walsummarizer)/;
  const stat = (path: string) => {
    // Fields after the command name (which may hold spaces), from field 3 on: utime is field 14.
    const fields = readFileSync(path, 'utf8');
    const rest = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(rest[1]),
      own: Number(rest[11]) + Number(rest[12]),
      children: Number(rest[13]) + Number(rest[14]),
    };
  };
  const ms = (ticks: number) => (ticks * 1000) / 100; // USER_HZ, the unit of /proc's CPU times (100 on Linux's common builds)
  const kinds: Record<string, number> = {};
  const add = (kind: string, ticks: number) => {
    kinds[kind] = (kinds[kind] ?? 0) + ms(ticks);
  };
  try {
    const server = stat(`/proc/${pid}/stat`);
    add('server', server.own);
    add('ended', server.children);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
      try {
        const child = stat(`/proc/${entry}/stat`);
        if (child.ppid !== pid) continue;
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        add(BACKGROUND_TITLE.exec(title)?.[1] ?? 'backends', child.own + child.children);
      } catch {
        // ended meanwhile
      }
    }
  } catch {
    // not Linux, or the server ended
  }
  return kinds;
}

/** `after` minus `before` by kind, per task, as "backends 2.10 ms, walwriter 0.31 ms, …" (largest first). */
function cpuByKind(before: Record<string, number>, after: Record<string, number>, tasks: number): string {
  return Object.keys(after)
    .map((kind) => [kind, (after[kind]! - (before[kind] ?? 0)) / tasks] as const)
    .filter(([, perTask]) => perTask > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, perTask]) => `${kind} ${ms(perTask)}`)
    .join(', ');
}

/**
 * The store's cost without the queue: the job code of a worker (runQueueJob) run in this process over the same
 * kind of tasks, in blocks of `--block` tasks round-robin (order reversed every other round) over the variants: the
 * batch directory (trajectory files, SQLite checkpoints), the PostgreSQL store, and with `--before CHECKOUT` that
 * checkout's PostgreSQL store (its src/, the same server): a before/after under the same load. Per task: this
 * process's CPU (user, system), its involuntary context switches, PostgreSQL's CPU (its server processes) and
 * the queries sent.
 */
async function storeAbMode(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'refinery-store-ab-'));
  chmodSync(scratch, 0o711); // as root, PostgreSQL runs as the postgres user
  const postgresDir = join(scratch, 'postgres');
  const server = await startPostgres({ dir: postgresDir });
  try {
    const configPath = writeScaleConfig(scratch);
    const text = readFileSync(configPath, 'utf8');
    const pgTraffic = await countPgTraffic();
    type Variant = {
      name: string;
      run: typeof runQueueJob;
      refinery: typeof refinery;
      store: Awaited<ReturnType<typeof openStore>> | undefined;
      totals: { user: number; system: number; switches: number; postgres: number; queries: number; tasks: number };
      /** PostgreSQL's CPU during this variant's blocks by kind of process (ms). */
      postgresKinds: Record<string, number>;
    };
    const variants: Variant[] = [
      { name: 'batch directory', run: runQueueJob, refinery, store: undefined },
      { name: 'postgres store', run: runQueueJob, refinery, store: await openStore(server.url) },
    ].map((v) => ({
      ...v,
      totals: { user: 0, system: 0, switches: 0, postgres: 0, queries: 0, tasks: 0 },
      postgresKinds: {},
    }));
    if (values.before) {
      const root = resolve(values.before);
      const other = async (path: string) => import(join(root, path));
      const { runQueueJob: run } = await other('src/queue/run-queue-job.ts');
      const { openStore: open } = await other('src/store/open-store.ts');
      const { createRefinery: create } = await other('src/runtime/create-refinery.ts');
      const { shippedPipelines: shipped } = await other('graphs/index.ts');
      const { scaleLoopPipeline: loop } = await other('bench/scale-loop-pipeline.ts');
      variants.push({
        name: `postgres store of ${values.before}`,
        run,
        refinery: create({ pipelines: [...shipped, loop] }),
        store: await open(server.url),
        totals: { user: 0, system: 0, switches: 0, postgres: 0, queries: 0, tasks: 0 },
        postgresKinds: {},
      });
    }
    const block = Number(values.block);
    let next = 0;
    const runBlock = async (variant: Variant, counted: boolean) => {
      const cpu = process.cpuUsage();
      const switches = process.resourceUsage().involuntaryContextSwitches;
      const postgres = processTreeCpu(server.pid);
      const queries = pgTraffic()[0];
      for (let i = 0; i < block; i++) {
        const index = next++;
        const taskId = `t${String(index).padStart(5, '0')}`;
        const outcome = await variant.run(
          {
            version: 1,
            batchId: 'store-ab',
            taskId,
            index,
            source: `tasks.jsonl:${index + 1}`,
            config: { path: configPath, text, set: [] },
            task: { id: taskId, seed: index * 7919 },
            batchDir: join(scratch, 'batch'),
            cwd: scratch,
            ...(variant.store ? { store: server.url } : {}),
          },
          {
            refinery: variant.refinery,
            signal: new AbortController().signal,
            ...(variant.store ? { store: variant.store } : {}),
            runOptions: { models: { default: scriptedModel }, executor: recordedExecutor, onWarning: quiet },
          },
        );
        if (outcome.kind !== 'row') throw new Error(`${variant.name}: task ${taskId} ${outcome.kind}`);
      }
      if (!counted) return;
      const used = process.cpuUsage(cpu);
      variant.totals.user += used.user / 1000;
      variant.totals.system += used.system / 1000;
      variant.totals.switches += process.resourceUsage().involuntaryContextSwitches - switches;
      if (variant.store) {
        const after = processTreeCpu(server.pid);
        variant.totals.postgres += sumMs(after) - sumMs(postgres);
        for (const [kind, cpu] of Object.entries(after))
          variant.postgresKinds[kind] = (variant.postgresKinds[kind] ?? 0) + cpu - (postgres[kind] ?? 0);
      }
      variant.totals.queries += pgTraffic()[0] - queries;
      variant.totals.tasks += block;
    };
    console.log(
      `store A/B: blocks of ${block} tasks, ${values.rounds} rounds over ${variants.length} variants; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const variant of variants) await runBlock(variant, false); // warm-up
    for (let round = 0; round < Number(values.rounds); round++)
      for (const variant of round % 2 ? [...variants].reverse() : variants) await runBlock(variant, true);
    const base = variants[0]!.totals;
    const per = (t: Variant['totals'], n: number) => n / t.tasks;
    for (const { name, totals, postgresKinds } of variants) {
      const cpu = per(totals, totals.user + totals.system);
      const over = cpu - per(base, base.user + base.system) + per(totals, totals.postgres);
      console.log(
        `   ${name}: ${totals.tasks} tasks; worker ${ms(cpu)} cpu per task (user ${ms(per(totals, totals.user))}, system ${ms(per(totals, totals.system))}), ` +
          `preempted ${per(totals, totals.switches).toFixed(1)} times; postgres ${ms(per(totals, totals.postgres))} per task${totals.postgres ? ` (${cpuByKind({}, postgresKinds, totals.tasks)})` : ''}; ` +
          `${per(totals, totals.queries).toFixed(1)} queries per task${totals === base ? '' : `; the store's cost over the batch directory (worker + postgres): ${ms(over)} per task`}`,
      );
    }
    console.log(
      `   load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const { store } of variants) await store?.close();
  } finally {
    await stopPostgres(postgresDir);
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface WorkerReport {
  completed: number;
  failed: number;
  released: number;
  cpuMs: number;
}

async function main(): Promise<void> {
  const TASKS = Number(values.tasks);
  const WORKERS = (values.workers as string).split(',').map(Number);
  const scratch = mkdtempSync(join(tmpdir(), 'refinery-scale-'));
  chmodSync(scratch, 0o711); // as root, PostgreSQL runs as the postgres user
  const children = new Set<ChildProcess>();
  const cleanup = () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  };
  process.on('exit', cleanup);

  console.log(
    `scale bench: ${TASKS} tasks, workers ${WORKERS.join(', ')}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (wall figures on a loaded machine are not the product's; the counts are)`,
  );
  const redisDir = join(scratch, 'services', 'redis');
  const postgresDir = join(scratch, 'services', 'postgres');
  const redisServer = await startRedis({ dir: redisDir });
  const postgresServer = await startPostgres({ dir: postgresDir });
  console.log(`own servers: ${redisServer.url}, ${postgresServer.url} (in ${scratch})`);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  try {
    const configPath = writeScaleConfig(scratch);
    const WARMUP = Number(values.warmup);
    const warmupPath = join(scratch, 'warmup.jsonl');
    writeFileSync(
      warmupPath,
      Array.from({ length: WARMUP }, (_, i) => JSON.stringify({ id: `w${String(i).padStart(5, '0')}`, seed: -1 - i }))
        .join('\n')
        .concat('\n'),
    );
    const tasksPath = join(scratch, 'tasks.jsonl');
    writeFileSync(
      tasksPath,
      Array.from({ length: TASKS }, (_, i) => JSON.stringify({ id: `t${String(i).padStart(5, '0')}`, seed: i * 7919 }))
        .join('\n')
        .concat('\n'),
    );

    // 1. The local batch: baseline wall/CPU and the expected rows (after a warm-up batch: JIT, caches).
    const runOptions = { models: { default: scriptedModel }, executor: recordedExecutor, onWarning: quiet };
    if (WARMUP > 0)
      await runBatch({
        refinery,
        configPath,
        tasksPath: warmupPath,
        outDir: join(scratch, 'local-warmup'),
        cwd: scratch,
        runOptions,
      });
    const localCpu = process.cpuUsage();
    const localStart = performance.now();
    const local = await runBatch({
      refinery,
      configPath,
      tasksPath,
      outDir: join(scratch, 'local'),
      concurrency: 1,
      cwd: scratch,
      runOptions,
    });
    const localWall = performance.now() - localStart;
    const localCpuMs = cpuMs(process.cpuUsage(localCpu));
    const nodeSteps = local.rows.reduce(
      (sum, row) => sum + 3 * ((row.result as { attempts: number }).attempts ?? 0),
      0,
    );
    const passed = local.rows.filter((r) => r.status === 'passed').length;
    console.log(
      `\nlocal batch (runBatch, concurrency 1): ${TASKS} tasks (${passed} passed, ${TASKS - passed} failed; ${nodeSteps} node steps) in ${s(localWall)}: ` +
        `${(TASKS / (localWall / 1000)).toFixed(1)} tasks/s; ${ms(localWall / TASKS)} wall and ${ms(localCpuMs / TASKS)} cpu per task`,
    );

    let mismatches = 0;
    // 1b. The honest baseline for N worker processes: the same tasks without the queue in N processes at once on this
    // machine (each a local runBatch over its share, warmed by its share of the warm-up tasks, as each worker is by
    // its part of the warm-up batch). What N busy processes cost over one on these cores (contention, each process's
    // own warm-up) is in this baseline too, so the queue's overhead against it is the queue's own. Measured right
    // before each queued batch.
    console.log(
      `\nbaseline of each queued batch, measured right before it: the same tasks in N local processes at once (runBatch over every N-th task, each warmed by its share of the ${WARMUP} warm-up tasks; no queue)`,
    );
    const baselineOf = async (locals: Awaited<ReturnType<typeof startLocalProcesses>>, processes: number) => {
      const baseline = await locals.run();
      const differing = compareRows(local.rows, baseline.rows);
      mismatches += differing.length;
      console.log(
        `   ${processes} local process${processes > 1 ? 'es' : '  '} (no queue, right before): ${s(baseline.wallMs)}, ${(TASKS / (baseline.wallMs / 1000)).toFixed(1)} tasks/s; ` +
          `${ms(baseline.cpuMs / TASKS)} cpu per task (in-process local ${ms(localCpuMs / TASKS)}: ${baseline.cpuMs >= localCpuMs ? '+' : ''}${ms((baseline.cpuMs - localCpuMs) / TASKS)}); ` +
          `${(baseline.switches / TASKS).toFixed(1)} involuntary context switches per task; ` +
          `results ${differing.length === 0 ? 'identical to the local run' : `DIFFER in ${differing.length} rows`}`,
      );
      return baseline;
    };
    /** Each round's CPU per job, queued and its baseline, by run ("queue, 2 workers"), for the summary. */
    const overheads = new Map<string, { queued: number; base: number; postgres: number }[]>();
    const stores: Array<string | undefined> = [undefined];
    if (!values['no-store']) stores.push(postgresServer.url);
    const ROUNDS = Number(values.repeat);
    for (const store of stores) {
      console.log(
        `\n${store ? 'queue + store postgres (trajectories and checkpoints in PostgreSQL)' : 'queue, state in the batch directory (shared filesystem)'}`,
      );
      for (const workers of WORKERS) {
        const name = `scale-${store ? 'pg' : 'fs'}-${workers}`;
        // The baseline right before each measured batch, under the same load: the same tasks in as many local
        // processes, no queue (they and the workers stay up, warmed, and wait while the other runs).
        const locals = await startLocalProcesses({
          processes: workers,
          configPath,
          tasksPath,
          warmupPath: WARMUP > 0 ? warmupPath : undefined,
          scratch,
          children,
        });
        const bases: LocalRun[] = [];
        const outcomes = await queuedRun({
          warmupPath: WARMUP > 0 ? warmupPath : undefined,
          name,
          workers,
          store,
          configPath,
          tasksPath,
          scratch,
          redis,
          redisUrl: redisServer.url,
          postgresUrl: postgresServer.url,
          postgresPid: postgresServer.pid,
          children,
          rounds: ROUNDS,
          before: async (round) => {
            if (ROUNDS > 1) console.log(`   round ${round} of ${ROUNDS}:`);
            bases.push(await baselineOf(locals, workers));
          },
        });
        locals.stop();
        for (const [i, outcome] of outcomes.entries()) {
          const base = bases[i]!;
          if (ROUNDS > 1) console.log(`   round ${i + 1} of ${ROUNDS}, queued:`);
          if (store && outcome.pg.rowsWritten === 0) {
            console.log(
              `   ${workers} worker(s): NOT MEASURED: the runs wrote nothing to PostgreSQL (the queue does not pass --store to its runs yet)`,
            );
            break;
          }
          const differing = compareRows(local.rows, outcome.rows);
          mismatches += differing.length;
          const perTask = (n: number) => (n / TASKS).toFixed(1);
          const overhead = (outcome.wallMs - localWall / workers) / TASKS;
          console.log(
            `   ${workers} worker${workers > 1 ? 's' : ' '}: ${s(outcome.wallMs)}, ${(TASKS / (outcome.wallMs / 1000)).toFixed(1)} tasks/s ` +
              `(${(localWall / outcome.wallMs).toFixed(2)}x the local batch); ${ms(overhead)} wall per job over the in-process local batch's / ${workers}; results ${differing.length === 0 ? `identical to the local run (${TASKS} rows)` : `DIFFER in ${differing.length} rows: ${differing.slice(0, 3).join('; ')}`}`,
          );
          // With the store, PostgreSQL's own CPU (its server processes, from /proc) is the store's cost too.
          const postgresCpuMs = store ? outcome.pg.cpuMs : 0;
          const queuedCpuMs = outcome.workerCpuMs + outcome.submitterCpuMs + outcome.redisCpuMs + postgresCpuMs;
          const cpuOverhead = (queuedCpuMs - base.cpuMs) / TASKS;
          const cpuOverheadVsOne = (queuedCpuMs - localCpuMs) / TASKS;
          const run = `${store ? 'queue + store' : 'queue'}, ${workers} worker${workers > 1 ? 's' : ''}`;
          overheads.set(run, [
            ...(overheads.get(run) ?? []),
            { queued: queuedCpuMs / TASKS, base: base.cpuMs / TASKS, postgres: postgresCpuMs / TASKS },
          ]);
          const plus = (value: number) => `${value >= 0 ? '+' : ''}${ms(value)}`;
          console.log(
            `      cpu per job: workers ${ms(outcome.workerCpuMs / TASKS)} (${workers} local process${workers > 1 ? 'es' : ''} ${ms(base.cpuMs / TASKS)}: ${plus((outcome.workerCpuMs - base.cpuMs) / TASKS)}), ` +
              `submitter ${ms(outcome.submitterCpuMs / TASKS)}, redis-server ${ms(outcome.redisCpuMs / TASKS)}${store ? `, postgres (its server processes) ${ms(postgresCpuMs / TASKS)}: ${outcome.pg.cpuByKind}` : ''}; ` +
              `workers preempted ${(outcome.workerSwitches / TASKS).toFixed(1)} times per job (involuntary context switches; ${workers} local process${workers > 1 ? 'es' : ''} ${(base.switches / TASKS).toFixed(1)})`,
          );
          console.log(
            `      ${store ? 'QUEUE + STORE' : 'QUEUE'} OVERHEAD per job (cpu of workers + submitter + redis${store ? ' + postgres' : ''} over the same tasks in ${workers} local process${workers > 1 ? 'es' : ''}): ${ms(cpuOverhead)} ` +
              `${cpuOverhead < 5 ? '(under the 5 ms target)' : '(OVER the 5 ms target)'}${store ? ` (${ms(cpuOverhead - postgresCpuMs / TASKS)} without postgres's own)` : ''}; wall ${s(outcome.wallMs)} vs ${s(base.wallMs)} (${plus((outcome.wallMs - base.wallMs) / TASKS)} per job of the batch)`,
          );
          console.log(
            `      against the in-process local batch (1 process${workers > 1 ? `; with ${workers} worker processes this also counts what ${workers} busy processes cost over one on these cores` : ''}): ` +
              `cpu ${ms(cpuOverheadVsOne)} per job (workers ${plus((outcome.workerCpuMs - localCpuMs) / TASKS)})`,
          );
          console.log(
            `      jobs: ${outcome.jobs.completed} completed (${ROUNDS} × ${TASKS} + ${WARMUP} warm-up), ${outcome.jobs.failed} failed, ${outcome.jobs.released} released, over ${workers} worker process${workers > 1 ? 'es' : ''}`,
          );
          console.log(
            `      redis: ${perTask(outcome.redisCalls)} commands per task (${(outcome.redisCalls / nodeSteps).toFixed(2)} per node step); ` +
              `top: ${topCommands(outcome.redisByCommand, TASKS)}; memory kept ${(outcome.memoryBytes / TASKS / 1024).toFixed(1)} KiB per job; ` +
              `${outcome.clients} connections with ${workers} worker${workers > 1 ? 's' : ''} waiting (the bench's included)`,
          );
          console.log(
            `      idle: ${(outcome.idleCallsPerSecond / workers).toFixed(1)} redis commands/s per waiting worker (${outcome.idleCallsPerSecond.toFixed(1)} for ${workers}; ` +
              `${topCommands(outcome.idleByCommand, IDLE_SECONDS)} per second)`,
          );
          if (store)
            console.log(
              `      postgres: ${perTask(outcome.pg.queries)} queries (${(outcome.pg.bytesOut / TASKS / 1024).toFixed(1)} KiB sent, ${(outcome.pg.bytesIn / TASKS / 1024).toFixed(1)} KiB received), ${perTask(outcome.pg.commits)} commits, ${perTask(outcome.pg.rowsWritten)} rows written (${(outcome.pg.rowsWritten / nodeSteps).toFixed(2)} per node step), ` +
                `${(outcome.pg.walBytes / TASKS / 1024).toFixed(1)} KiB WAL per task; by table: ${outcome.pg.byTable}`,
            );
        }
      }
    }
    console.log(
      `\noverhead per job: the CPU of workers + submitter + redis (+ postgres) over the same tasks in as many local processes, each round's baseline taken right before its batch; over all ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}:`,
    );
    for (const [run, rounds] of overheads) {
      const mean = (pick: (r: (typeof rounds)[number]) => number) =>
        rounds.reduce((sum, r) => sum + pick(r), 0) / rounds.length;
      const overhead = mean((r) => r.queued - r.base);
      const postgres = mean((r) => r.postgres);
      console.log(
        `   ${run}: ${ms(overhead)} ${overhead < 5 ? '(under the 5 ms target)' : '(OVER the 5 ms target)'}` +
          `${run.includes('store') ? ` (${ms(overhead - postgres)} without postgres's own ${ms(postgres)})` : ''}; ` +
          `queued ${ms(mean((r) => r.queued))} vs local ${ms(mean((r) => r.base))} cpu per task` +
          `${rounds.length > 1 ? `; each round: ${rounds.map((r) => ms(r.queued - r.base)).join(', ')}` : ''}`,
      );
    }
    console.log(
      `\nresults: ${mismatches === 0 ? 'every queued batch identical to the local run' : `${mismatches} rows DIFFER from the local run`}; ` +
        `load average at the end ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    process.exitCode = mismatches === 0 ? 0 : 1;
  } finally {
    redis.disconnect();
    for (const child of children) child.kill('SIGKILL');
    await stopRedis(redisDir);
    await stopPostgres(postgresDir);
  }
}

interface QueuedRun {
  rows: BatchResultRow[];
  wallMs: number;
  workerCpuMs: number;
  /** Involuntary context switches of the workers (preempted for another process: contention, not work). */
  workerSwitches: number;
  /** What the workers said they did (the warm-up batch's jobs included). */
  jobs: { completed: number; failed: number; released: number };
  submitterCpuMs: number;
  redisCpuMs: number;
  redisCalls: number;
  redisByCommand: Map<string, number>;
  idleCallsPerSecond: number;
  idleByCommand: Map<string, number>;
  /** Redis memory the batch left (its jobs stay in Redis once completed). */
  memoryBytes: number;
  /** Connections open while the workers wait (the bench's own one included). */
  clients: number;
  pg: {
    /** CPU of the PostgreSQL server's processes during the batch (0 without a store: the server is idle). */
    cpuMs: number;
    /** The same per task by kind of process (backends, background processes, ended children). */
    cpuByKind: string;
    /** Queries the workers sent, and bytes to and from the server. */
    queries: number;
    bytesOut: number;
    bytesIn: number;
    commits: number;
    rowsWritten: number;
    walBytes: number;
    byTable: string;
  };
}

/** The workers' latest [queries, bytes out, bytes in] to PostgreSQL, summed. */
function sumTraffic(latest: Map<ChildProcess, number[]>): number[] {
  const sum = [0, 0, 0];
  for (const traffic of latest.values()) for (let i = 0; i < 3; i++) sum[i]! += traffic[i] ?? 0;
  return sum;
}

async function queuedRun(options: {
  warmupPath: string | undefined;
  name: string;
  workers: number;
  store: string | undefined;
  configPath: string;
  tasksPath: string;
  scratch: string;
  redis: Redis;
  redisUrl: string;
  postgresUrl: string;
  /** The PostgreSQL server's postmaster (its CPU and its processes' is read from /proc). */
  postgresPid: number;
  children: Set<ChildProcess>;
  /** Measured batches of the tasks, one after another on the same workers. */
  rounds: number;
  /** Runs before each measured batch, while the workers wait (the baseline next to it). */
  before: (round: number) => Promise<void>;
}): Promise<QueuedRun[]> {
  const { name, workers, store, redis } = options;
  const started: Array<{ child: ChildProcess; report: Promise<WorkerReport> }> = [];
  const latestCpu = new Map<ChildProcess, number>();
  const latestSwitches = new Map<ChildProcess, number>();
  const latestPg = new Map<ChildProcess, number[]>();
  for (let i = 0; i < workers; i++) {
    let resolveReport: (report: WorkerReport) => void = () => {};
    const { child, ready: isReady } = spawnBenchProcess(
      `queue-${name}`,
      ['--worker', '--queue', options.redisUrl, '--queue-name', name, ...(store ? ['--store', store] : [])],
      options.children,
      (line, child) => {
        if (line.startsWith('cpu ')) {
          const [cpu, switches, ...pgTraffic] = line.slice(4).split(' ').map(Number);
          latestCpu.set(child, cpu!);
          latestSwitches.set(child, switches!);
          latestPg.set(child, pgTraffic);
        } else if (line.startsWith('{')) resolveReport(JSON.parse(line) as WorkerReport);
      },
      'ignore',
    );
    const report = new Promise<WorkerReport>((done, reject) => {
      resolveReport = done;
      child.on('exit', (code) => reject(new Error(`worker exited ${code} without a report`)));
    });
    report.catch(() => {});
    started.push({ child, report });
    await isReady;
  }
  const submitter = await startSubmitter(options.children);
  const request = {
    redisUrl: options.redisUrl,
    name,
    configPath: options.configPath,
    cwd: options.scratch,
    ...(store ? { store } : {}),
  };
  // A warm-up batch first (each worker's and the submitter's JIT and caches), left out of every figure.
  if (options.warmupPath)
    await submitter.submit({
      ...request,
      tasksPath: options.warmupPath,
      outDir: join(options.scratch, `${name}-warmup`),
    });
  // Each round: `before` (the baseline next to it), then one measured batch of the tasks on the same workers.
  const measured = [];
  for (let round = 1; round <= options.rounds; round++) {
    await options.before(round);
    const cpuBefore = [...latestCpu.values()].reduce((a, b) => a + b, 0);
    const switchesBefore = [...latestSwitches.values()].reduce((a, b) => a + b, 0);
    const pgBefore = await postgresCounters(options.postgresUrl);
    const pgTrafficBefore = sumTraffic(latestPg);
    const pgCpuBefore = processTreeCpu(options.postgresPid);
    const redisBefore = await redisCounters(redis);
    const outcome = await submitter.submit({
      ...request,
      tasksPath: options.tasksPath,
      outDir: join(options.scratch, `${name}-${round}`),
    });
    const { wallMs, cpuMs: submitterCpuMs } = outcome;
    const cpuAtEnd = [...latestCpu.values()].reduce((a, b) => a + b, 0);
    const switchesAtEnd = [...latestSwitches.values()].reduce((a, b) => a + b, 0);
    const pgCpuAfter = processTreeCpu(options.postgresPid);
    const pgTraffic = sumTraffic(latestPg).map((n, i) => n - pgTrafficBefore[i]!);
    const redisAfter = await redisCounters(redis);
    const pgAfter = await postgresCounters(options.postgresUrl);
    measured.push({
      outcome,
      wallMs,
      submitterCpuMs,
      workerCpuMs: cpuAtEnd - cpuBefore,
      workerSwitches: switchesAtEnd - switchesBefore,
      pgBefore,
      pgAfter,
      pgCpuBefore,
      pgCpuAfter,
      pgTraffic,
      redisBefore,
      redisAfter,
    });
  }
  submitter.stop();
  // Idle: the workers wait for the next batch.
  const idleSeconds = IDLE_SECONDS;
  const redisAfter = measured.at(-1)!.redisAfter;
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const redisIdle = await redisCounters(redis);
  for (const { child } of started) child.kill('SIGTERM');
  const reports = await Promise.all(started.map((w) => w.report));
  for (const { child } of started) options.children.delete(child);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const idleByCommand = new Map<string, number>();
  for (const [command, calls] of redisIdle.calls) {
    const delta = calls - (redisAfter.calls.get(command) ?? 0) - (command === 'info' ? 1 : 0);
    if (delta > 0) idleByCommand.set(command, delta);
  }
  const idleCalls = sum(idleByCommand);
  const jobs = {
    completed: reports.reduce((a, r) => a + r.completed, 0),
    failed: reports.reduce((a, r) => a + r.failed, 0),
    released: reports.reduce((a, r) => a + r.released, 0),
  };
  return measured.map((m) => {
    const byCommand = new Map<string, number>();
    for (const [command, calls] of m.redisAfter.calls) {
      const delta = calls - (m.redisBefore.calls.get(command) ?? 0);
      if (delta > 0) byCommand.set(command, delta);
    }
    // The bench's own INFO calls are not the queue's.
    byCommand.set('info', (byCommand.get('info') ?? 0) - 1);
    return {
      rows: m.outcome.rows,
      wallMs: m.wallMs,
      workerCpuMs: m.workerCpuMs,
      workerSwitches: m.workerSwitches,
      jobs,
      submitterCpuMs: m.submitterCpuMs,
      redisCpuMs: m.redisAfter.cpuMs - m.redisBefore.cpuMs,
      redisCalls: sum(byCommand),
      redisByCommand: byCommand,
      idleCallsPerSecond: idleCalls / idleSeconds,
      idleByCommand,
      memoryBytes: m.redisAfter.memoryBytes - m.redisBefore.memoryBytes,
      clients: redisIdle.clients,
      pg: {
        cpuMs: sumMs(m.pgCpuAfter) - sumMs(m.pgCpuBefore),
        cpuByKind: cpuByKind(m.pgCpuBefore, m.pgCpuAfter, Number(values.tasks)),
        queries: m.pgTraffic[0]!,
        bytesOut: m.pgTraffic[1]!,
        bytesIn: m.pgTraffic[2]!,
        commits: m.pgAfter.commits - m.pgBefore.commits,
        rowsWritten: m.pgAfter.rowsWritten - m.pgBefore.rowsWritten,
        walBytes: m.pgAfter.walBytes - m.pgBefore.walBytes,
        byTable: [...m.pgAfter.byTable]
          .map(([table, rows]) => [table, rows - (m.pgBefore.byTable.get(table) ?? 0)] as const)
          .filter(([, rows]) => rows > 0)
          .map(([table, rows]) => `${table} ${rows}`)
          .join(', '),
      },
    };
  });
}

async function redisCounters(
  redis: Redis,
): Promise<{ calls: Map<string, number>; cpuMs: number; memoryBytes: number; clients: number }> {
  const text = await redis.info('all');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  const cpu = (key: string) => Number(new RegExp(`^${key}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    calls,
    cpuMs: (cpu('used_cpu_user') + cpu('used_cpu_sys')) * 1000,
    memoryBytes: cpu('used_memory'),
    clients: cpu('connected_clients'),
  };
}

/** Writes PostgreSQL has seen (the stats of ended sessions are flushed; the workers' have ended or are idle). */
async function postgresCounters(
  url: string,
): Promise<{ commits: number; rowsWritten: number; walBytes: number; byTable: Map<string, number> }> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await new Promise((r) => setTimeout(r, 1200)); // backends flush their stats at most once a second
    const db = await client.query(
      `select xact_commit, tup_inserted + tup_updated + tup_deleted as rows, pg_current_wal_lsn() - '0/0' as wal
         from pg_stat_database where datname = current_database()`,
    );
    const tables = await client.query(
      'select relname, n_tup_ins + n_tup_upd + n_tup_del as rows from pg_stat_user_tables',
    );
    const row = db.rows[0] as { xact_commit: string; rows: string; wal: string };
    return {
      commits: Number(row.xact_commit),
      rowsWritten: Number(row.rows),
      walBytes: Number(row.wal),
      byTable: new Map(tables.rows.map((t: { relname: string; rows: string }) => [t.relname, Number(t.rows)])),
    };
  } finally {
    await client.end();
  }
}

/** Rows that differ from the local run's (wall time and the trajectory's place aside). */
function compareRows(expected: BatchResultRow[], actual: BatchResultRow[]): string[] {
  const key = (row: BatchResultRow) =>
    JSON.stringify({
      index: row.index,
      id: row.id,
      status: row.status,
      exitCode: row.exitCode,
      summary: row.summary,
      result: row.result,
      totals: row.totals ? { ...row.totals, wallMs: 0 } : null,
    });
  const byId = new Map(actual.map((row) => [row.id, row]));
  const out: string[] = [];
  for (const row of expected) {
    const other = byId.get(row.id);
    if (!other) out.push(`${row.id}: missing`);
    else if (key(row) !== key(other)) out.push(`${row.id}: ${key(other)} vs ${key(row)}`);
  }
  if (actual.length !== expected.length) out.push(`${actual.length} rows, ${expected.length} expected`);
  return out;
}

function topCommands(byCommand: Map<string, number>, tasks: number): string {
  return [...byCommand]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([command, calls]) => `${command} ${(calls / tasks).toFixed(1)}`)
    .join(', ');
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
function s(value: number): string {
  return `${(value / 1000).toFixed(2)} s`;
}

/** The synthetic batch's config (the scale-loop pipeline, its scripted model, --iterations), in `scratch`. */
function writeScaleConfig(scratch: string): string {
  const configPath = join(scratch, 'scale.yaml');
  writeFileSync(
    configPath,
    [
      'graph: scale-loop',
      'models: { default: { provider: openai, name: scripted } }',
      'agents: { coder: { model: default } }',
      'budgets: { iterations: 100, tokens: 1000000000, costUsd: 1000000, wallSeconds: 1000000 }',
      `options: { iterations: ${Number(values.iterations)} }`,
      '',
    ].join('\n'),
  );
  return configPath;
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type LoadedConfig, loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';
import { loadMokavCandidates, samplesByRound } from '../../src/datasets/load-mokav-candidates.ts';
import { loadMokavPairs, type MokavPair } from '../../src/datasets/load-mokav-pairs.ts';
import { loadMokavProblemTests } from '../../src/datasets/load-mokav-problem-tests.ts';
import { closeSharedPythonWorkerPool, sharedPythonWorkerPool } from '../../src/execution/batch/index.ts';
import type { MatrixEngine } from '../../src/execution/matrix/matrix-engine.ts';
import { acquireSharedMatrixEngine } from '../../src/execution/matrix/matrix-engine-lease.ts';
import { type CallRunner, runDetCalls, type Subject } from '../../src/execution/mokav/det-calls.ts';
import { runNaiveDetCall } from '../../src/execution/mokav/naive-det-baseline.ts';
import { BAD_INPUT_EXIT_CODE } from '../../src/runtime/exit-status.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import { pipelineChecks } from '../../src/runtime/pipeline-checks.ts';
import type { AnyPipelineDefinition, PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import {
  benchFigures,
  type PairFigures,
  roundMismatches,
  verdictAgreement,
} from '../../src/techniques/mokav/bench-figures.ts';
import { callArguments } from '../../src/techniques/mokav/calling-convention.ts';
import { jsonToPyValue } from '../../src/techniques/mokav/json-to-py-value.ts';
import type { PyValue } from '../../src/techniques/mokav/python-value.ts';
import { BenchHelperThread } from './bench-helper-thread.ts';
import { MOKAV_BENCH_DEFAULTS, MOKAV_RELEASED_RUNS, type MokavBenchFlags } from './mokav-bench-flags.ts';
import type { MokavOptions } from './mokav-options.ts';
import type { MokavPipelineDeps } from './mokav-pipeline.ts';
import type { MokavResult } from './mokav-result.ts';
import type { MokavTask } from './mokav-task.ts';
import { type PairJob, type PairOutcome, recordedModels, runBenchPair } from './run-bench-pair.ts';

/**
 * `refinery bench mokav`: every pair of a released run through the Mokav graph, the tester answered per (pair,
 * round) with the logged samples; one engine lease for the whole run. With `--workers N` (N > 1), N − 1 helper
 * threads run the graph for some of the pairs too, their executions on this thread's engine: pairs are handed out
 * one at a time and the results kept in pair order, so the figures are those of one thread.
 */
export async function runMokavBench(
  flags: MokavBenchFlags,
  services: PipelineCommandServices,
  createPipeline: (deps: MokavPipelineDeps) => AnyPipelineDefinition,
): Promise<number> {
  const fromRoot = (file: string) => resolve(PACKAGE_ROOT, file);
  const fromCwd = (file: string) => resolve(services.cwd, file);
  const configPath = flags.config ? fromCwd(flags.config) : fromRoot(MOKAV_BENCH_DEFAULTS.config);
  const released = MOKAV_RELEASED_RUNS[basename(configPath).replace(/\.ya?ml$/, '')];
  if ((!flags.pairs || !flags.candidates) && !released) {
    process.stderr.write(
      `refinery bench mokav: ${configPath} is not a shipped Mokav config: name the data with --pairs and --candidates\n`,
    );
    return BAD_INPUT_EXIT_CODE;
  }
  const pairsPath = flags.pairs ? fromCwd(flags.pairs) : fromRoot(released!.pairs);
  const candidatesPath = flags.candidates ? fromCwd(flags.candidates) : fromRoot(released!.candidates);
  const testsPath = flags.tests ? fromCwd(flags.tests) : fromRoot(MOKAV_BENCH_DEFAULTS.tests);
  const summaryPath = flags.summary ? fromCwd(flags.summary) : releasedSummaryNextTo(candidatesPath);

  const unbound = createPipeline({});
  const loaded = await loadPipelineConfig(configPath, {
    set: flags.set,
    ...pipelineChecks(services.pipelines.with(unbound)),
  });
  const options = unbound.optionsSchema.parse(loaded.config.options) as MokavOptions;
  const cores = loaded.config.execution.workers ?? availableParallelism();
  // The helpers start now and load while this process reads the data; their executions wait for the lease below.
  let lease: ReturnType<typeof acquireSharedMatrixEngine> | undefined;
  const sharedEngine: CallRunner = { runCalls: (request, callOptions) => lease!.engine.runCalls(request, callOptions) };
  const helpers = Array.from(
    { length: flags.workers - 1 },
    () => new BenchHelperThread<PairJob, PairOutcome>({ loaded, set: flags.set }, sharedEngine),
  );
  try {
    const logged = loadMokavCandidates(candidatesPath);
    const pairs = loadMokavPairs(pairsPath, new Set(logged.map((s) => s.pair)));
    const officialTests = flags.official ? loadMokavProblemTests(testsPath) : undefined;

    lease = acquireSharedMatrixEngine({ config: loaded.config, baseDir: loaded.baseDir });
    return await runPairs({
      flags,
      services,
      createPipeline,
      loaded,
      options,
      cores,
      lease,
      helpers,
      logged,
      pairs,
      officialTests,
      candidatesPath,
      summaryPath,
      fromCwd,
    });
  } finally {
    await Promise.all(helpers.map((helper) => helper.close()));
    await lease?.release();
    await closeSharedPythonWorkerPool();
  }
}

async function runPairs(input: {
  flags: MokavBenchFlags;
  services: PipelineCommandServices;
  createPipeline: (deps: MokavPipelineDeps) => AnyPipelineDefinition;
  loaded: LoadedConfig;
  options: MokavOptions;
  cores: number;
  lease: ReturnType<typeof acquireSharedMatrixEngine>;
  helpers: BenchHelperThread<PairJob, PairOutcome>[];
  logged: ReturnType<typeof loadMokavCandidates>;
  pairs: MokavPair[];
  officialTests: ReadonlyMap<string, string[]> | undefined;
  candidatesPath: string;
  summaryPath: string | undefined;
  fromCwd: (file: string) => string;
}): Promise<number> {
  const { flags, services, createPipeline, loaded, options, cores, lease, helpers, logged, pairs } = input;
  const { officialTests, candidatesPath, summaryPath, fromCwd } = input;
  // With helpers, every execution of a pair here ends on the event loop: pairs answered from the cache are promise
  // chains alone, which would keep this thread from reading the helpers' requests (their executions run here) for
  // as long as its own pairs keep going; a helper then waits on this thread at every round.
  const engine: MatrixEngine =
    helpers.length === 0
      ? lease.engine
      : {
          ...lease.engine,
          runCalls: async (request, callOptions) => {
            const result = await lease.engine.runCalls(request, callOptions);
            await new Promise((resolve) => setImmediate(resolve));
            return result;
          },
        };
  const pipeline = createPipeline({ acquireEngine: () => ({ engine, release() {} }) });
  const pipelines = services.pipelines.with(pipeline);

  // The recorded tester: the logged samples of (pair, round); a pair runs as many rounds as its log holds.
  const byRound = samplesByRound(logged);
  const loggedRounds = new Map<string, number>();
  for (const s of logged) loggedRounds.set(s.pair, Math.max(loggedRounds.get(s.pair) ?? 0, s.round + 1));
  const withSamples = pairs.filter((pair) => loggedRounds.has(pair.key));
  const selected = flags.pairsLimit ? withSamples.slice(0, flags.pairsLimit) : withSamples;
  const tasks = selected.map((pair) => taskFor(pair, loggedRounds.get(pair.key)!));
  const models = recordedModels(loaded.config, candidatesPath, byRound);

  const outDir = flags.out ? fromCwd(flags.out) : undefined;
  if (outDir) mkdirSync(join(outDir, 'trajectories'), { recursive: true });
  const trajectoryFor = (task: MokavTask) =>
    outDir ? join(outDir, 'trajectories', `${task.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`) : null;
  const jobFor = (task: MokavTask): PairJob => ({
    task,
    samples: Array.from({ length: loggedRounds.get(task.id)! }, (_, round): [string, string[]] => {
      const key = `${task.id}#${round}`;
      return [key, byRound.get(key) ?? []];
    }).filter(([key]) => byRound.has(key)),
    candidatesLabel: candidatesPath,
    trajectoryPath: trajectoryFor(task),
  });
  const runHere = (task: MokavTask): Promise<PairOutcome> =>
    runBenchPair({ loaded, set: flags.set, pipelines, task, models, trajectoryPath: trajectoryFor(task) });

  const loadAtStart = loadavg()[0]!;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const results: (MokavResult | null)[] = new Array(tasks.length).fill(null);
  const errors: (string | undefined)[] = new Array(tasks.length).fill(undefined);
  const progress = new Progress(tasks.length);
  const record = (index: number, outcome: PairOutcome) => {
    const result = outcome.result;
    if (outcome.status === 'error' || outcome.status === 'invalid-input' || result === null)
      errors[index] = `${tasks[index]!.id}: ${outcome.summary}`;
    results[index] = result;
    progress.tick(result?.det !== null && result !== null);
  };
  // Pairs are handed out one at a time, here and to each helper once it is ready; a pair a helper could not finish
  // (it ended) runs here.
  let next = 0;
  let allHandedOut: () => void = () => {};
  const handedOut = new Promise<false>((resolve) => {
    allHandedOut = () => resolve(false);
  });
  const take = (): number | undefined => {
    if (next < tasks.length) return next++;
    allHandedOut();
    return undefined;
  };
  const pairsByWorker = new Array<number>(1 + helpers.length).fill(0);
  const slots = (count: number, worker: number, run: (index: number) => Promise<PairOutcome>) =>
    Array.from({ length: Math.min(count, tasks.length) }, async () => {
      for (let index = take(); index !== undefined; index = take()) {
        // With helpers, each pair also starts from the event loop (see `engine` above).
        if (helpers.length > 0) await new Promise((resolve) => setImmediate(resolve));
        record(index, await run(index));
        pairsByWorker[worker]!++;
      }
    });
  await Promise.all([
    ...slots(flags.concurrency, 0, (index) => runHere(tasks[index]!)),
    ...helpers.map(async (helper, i) => {
      if (!(await Promise.race([helper.ready, handedOut]))) return;
      await Promise.all(
        slots(flags.concurrency, i + 1, (index) =>
          helper.run(jobFor(tasks[index]!)).catch(() => runHere(tasks[index]!)),
        ),
      );
    }),
  ]);
  progress.done();
  const ended = performance.now();
  const wallSeconds = (ended - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  // The helpers are threads of this process: its CPU counts theirs.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const errorLines = errors.filter((error): error is string => error !== undefined);

  const figuresByPair: PairFigures[] = results.map((result, index) => ({
    key: tasks[index]!.id,
    detRound: result?.det?.round ?? null,
    candidates: (result?.candidates ?? []).map((c) => ({
      round: c.round,
      sample: c.sample,
      verdict: c.verdict,
      dropped: c.input === null,
    })),
  }));
  const figures = benchFigures(figuresByPair, options.rounds);
  const agreement = verdictAgreement(figuresByPair, logged);
  const runs = results.reduce(
    (sum, r) => ({
      executed: sum.executed + (r?.runs.executed ?? 0),
      cached: sum.cached + (r?.runs.cached ?? 0),
      timeouts: sum.timeouts + (r?.runs.timeouts ?? 0),
      timeoutSeconds: sum.timeoutSeconds + (r?.runs.timeoutSeconds ?? 0),
    }),
    { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 },
  );
  const releasedSummary = summaryPath ? readReleasedSummary(summaryPath) : undefined;
  const rounds = releasedSummary ? roundMismatches(figuresByPair, releasedSummary.firstRound) : undefined;
  const official = officialTests
    ? await officialFirst(lease.engine, selected, officialTests, figuresByPair, options, flags.concurrency)
    : undefined;
  const baseline =
    flags.baseline > 0 ? await baselineRatio(loaded, selected, results, flags.baseline, options, cores) : undefined;

  const report = {
    config: loaded.config.options,
    pairs: figures.pairs,
    pairs_with_det: figures.pairsWithDet,
    /** Pairs of --pairs that the candidates file has no sample for (not run). */
    pairs_without_samples: pairs.length - withSamples.length,
    by_round: figures.byRound,
    verdicts: figures.verdicts,
    samples: figures.samples,
    parse_drops: figures.dropped,
    verdict_agreement: {
      compared: agreement.compared,
      agreed: agreement.agreed,
      percent: agreement.compared === 0 ? 100 : round2((100 * agreement.agreed) / agreement.compared),
      parse_compared: agreement.parseCompared,
      parse_agreed: agreement.parseAgreed,
      mismatches: agreement.mismatches.slice(0, 20),
    },
    ...(releasedSummary
      ? {
          released: {
            file: summaryPath,
            pairs_with_det: releasedSummary.pairsWithDet,
            by_round: releasedSummary.byRound,
            first_round_mismatches: rounds!.slice(0, 20),
            first_round_mismatch_count: rounds!.length,
          },
        }
      : {}),
    wall_s: round2(wallSeconds),
    runs: runs.executed + runs.cached,
    runs_executed: runs.executed,
    runs_cached: runs.cached,
    timeouts: runs.timeouts,
    timeout_s: round2(runs.timeoutSeconds),
    overhead_s: round2(wallSeconds - runs.timeoutSeconds / cores),
    cores,
    cpu_s: round2(cpuSeconds),
    workers: 1 + helpers.length,
    /** Pairs each thread ran, the bench's own first (a helper takes pairs once it has loaded). */
    pairs_by_worker: pairsByWorker,
    /** Seconds after the pairs started at which each helper was ready (negative: before; null: not by the end). */
    helpers_ready_s: helpers.map((helper) =>
      helper.readyAt === undefined || helper.readyAt > ended ? null : round2((helper.readyAt - started) / 1000),
    ),
    load_average: { start: round2(loadAtStart), end: round2(loadavg()[0]!) },
    ...(official ? { official } : {}),
    ...(baseline ? { baseline } : {}),
    errors: errorLines.length,
  };
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      join(outDir, 'results.jsonl'),
      `${results.map((r, i) => JSON.stringify(r ?? { id: tasks[i]!.id, error: true })).join('\n')}\n`,
    );
    writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`);
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(humanReport(report, candidatesPath));
  for (const error of errorLines) process.stderr.write(`error: ${error}\n`);
  return errorLines.length > 0 ? 3 : 0;
}

function subject(source: string, which: 'original' | 'patched'): Subject {
  return { source, function: which === 'original' ? 'original_func' : 'patched_func', filename: `<${which}>` };
}

function taskFor(pair: MokavPair, rounds: number): MokavTask {
  return {
    id: pair.key,
    original: subject(pair.originalSource, 'original'),
    patched: subject(pair.patchedSource, 'patched'),
    exampleInput: jsonToPyValue(pair.exampleInput),
    replyFormat: pair.replyFormat,
    rounds,
  };
}

/** `c4b_dev_candidates_X.jsonl.gz` → `c4b_dev_summary_X.json`, `candidates_X.jsonl` → `summary_X.json`, if present. */
function releasedSummaryNextTo(candidates: string): string | undefined {
  const name = basename(candidates)
    .replace(/candidates_/, 'summary_')
    .replace(/\.jsonl(\.gz)?$/, '.json');
  const path = join(dirname(candidates), name);
  return name !== basename(candidates) && existsSync(path) ? path : undefined;
}

function readReleasedSummary(file: string) {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // QuixBugs summaries hold the strict DET criterion under `strict`.
  const body = (json.strict ?? json) as Record<string, unknown>;
  const firstRound = (body.first_DET_round_by_pair ?? body.first_DET_round_by_program ?? {}) as Record<string, number>;
  return {
    pairsWithDet: (body.pairs_with_DET ?? json.pairs_with_DET) as number,
    byRound: (body.cumulative_pairs_with_DET_by_round ?? []) as number[],
    firstRound: new Map(Object.entries(firstRound)),
  };
}

/** "Official tests first": each pair's official test inputs as candidates, before (and without) any model. */
async function officialFirst(
  engine: MatrixEngine,
  pairs: readonly MokavPair[],
  tests: ReadonlyMap<string, string[]>,
  figures: readonly PairFigures[],
  options: MokavOptions,
  concurrency: number,
) {
  const exposed = new Array<boolean>(pairs.length).fill(false);
  const limits = {
    cpuLimitSec: options.limitSec,
    ...(options.wallLimitSec ? { wallLimitSec: options.wallLimitSec } : {}),
  };
  let runs = 0;
  let timeoutSeconds = 0;
  const started = performance.now();
  await inParallel(pairs.length, concurrency, async (index) => {
    const pair = pairs[index]!;
    const calls = (tests.get(pair.problem) ?? []).flatMap((input) => {
      const args = callArguments(input);
      return args
        ? [{ q: subject(pair.patchedSource, 'patched'), p: subject(pair.originalSource, 'original'), args }]
        : [];
    });
    const batch = await runDetCalls(engine, calls, limits);
    runs += calls.length;
    timeoutSeconds += batch.stats.timeoutSeconds;
    exposed[index] = batch.outcomes.some((o) => o.verdict === 'DET');
  });
  const byMokav = new Set(figures.filter((f) => f.detRound !== null).map((f) => f.key));
  return {
    pairs_exposed_by_official_tests: exposed.filter(Boolean).length,
    pairs_exposed_by_run: byMokav.size,
    pairs_exposed_by_either: pairs.filter((p, i) => exposed[i] || byMokav.has(p.key)).length,
    runs,
    timeout_s: round2(timeoutSeconds),
    wall_s: round2((performance.now() - started) / 1000),
  };
}

/**
 * Mokav's own design on the first N pairs' executed samples: a fresh python3 per sample, one after another, against
 * the same samples through the engine (no cache). Overhead = wall − limit seconds ÷ the cores each used.
 */
async function baselineRatio(
  loaded: Awaited<ReturnType<typeof loadPipelineConfig>>,
  pairs: readonly MokavPair[],
  results: readonly (MokavResult | null)[],
  count: number,
  options: MokavOptions,
  cores: number,
) {
  const jobs: { q: Subject; p: Subject; args: PyValue[] }[] = [];
  pairs.slice(0, count).forEach((pair, index) => {
    for (const c of results[index]?.candidates ?? []) {
      if (c.input === null || c.verdict === null || c.verdict === 'HARNESS_EXCEPTION') continue;
      const args = callArguments(c.input);
      if (args)
        jobs.push({ q: subject(pair.patchedSource, 'patched'), p: subject(pair.originalSource, 'original'), args });
    }
  });
  const limits = {
    cpuLimitSec: options.limitSec,
    ...(options.wallLimitSec ? { wallLimitSec: options.wallLimitSec } : {}),
  };
  const uncached = acquireSharedMatrixEngine({
    config: { ...loaded.config, execution: { ...loaded.config.execution, cache: false } },
    baseDir: loaded.baseDir,
  });
  let started = performance.now();
  const engineBatch = await runDetCalls(uncached.engine, jobs, limits);
  const engineWall = (performance.now() - started) / 1000;
  const engineLimit = engineBatch.stats.timeoutSeconds;
  const python = (await sharedPythonWorkerPool().describe()).python;
  started = performance.now();
  let naiveLimit = 0;
  let disagreements = 0;
  for (const [i, job] of jobs.entries()) {
    const reply = await runNaiveDetCall(python, { op: 'det', ...job }, limits);
    if (reply.status === 'timeout') naiveLimit += reply.wallMs / 1000;
    const verdict =
      reply.status === 'ok'
        ? (reply.value as { verdict: string }).verdict
        : reply.status === 'timeout'
          ? 'TIMEOUT'
          : 'ERROR';
    if (verdict !== engineBatch.outcomes[i]!.verdict) disagreements++;
  }
  const naiveWall = (performance.now() - started) / 1000;
  const engineOverhead = engineWall - engineLimit / cores;
  const naiveOverhead = naiveWall - naiveLimit;
  return {
    pairs: Math.min(count, pairs.length),
    samples: jobs.length,
    engine: { wall_s: round2(engineWall), timeout_s: round2(engineLimit), overhead_s: round2(engineOverhead), cores },
    naive: { wall_s: round2(naiveWall), timeout_s: round2(naiveLimit), overhead_s: round2(naiveOverhead), cores: 1 },
    overhead_ratio: round2(naiveOverhead / Math.max(engineOverhead, 0.001)),
    verdict_disagreements: disagreements,
  };
}

async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

const round2 = (value: number) => Math.round(value * 100) / 100;

// biome-ignore lint/suspicious/noExplicitAny: the report object built above
function humanReport(r: any, candidates: string): string {
  const lines = [
    `Mokav ${r.config.letters} ${r.config.rounds}×${r.config.samples} on ${r.pairs} pairs (${basename(candidates)})`,
    `  pairs with a DET  ${r.pairs_with_det}   by round ${r.by_round.join(', ')}`,
  ];
  if (r.released)
    lines.push(
      `  released         ${r.released.pairs_with_det}   by round ${r.released.by_round.join(', ')}   (${r.released.first_round_mismatch_count} pairs with another first-DET round)`,
    );
  lines.push(
    `  verdicts         ${Object.entries(r.verdicts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  parse drops      ${r.parse_drops} of ${r.samples} samples`,
    `  agreement        ${r.verdict_agreement.agreed}/${r.verdict_agreement.compared} logged verdicts (${r.verdict_agreement.percent}%), parse ${r.verdict_agreement.parse_agreed}/${r.verdict_agreement.parse_compared}`,
    `  wall ${r.wall_s} s; ${r.runs} runs (${r.runs_executed} executed, ${r.runs_cached} cached); ${r.timeouts} reached the limit, ${r.timeout_s} CPU s in them; overhead ${r.overhead_s} s (wall − limit s ÷ ${r.cores} cores); load ${r.load_average.start} → ${r.load_average.end}`,
    `  threads          ${r.workers} (pairs ${r.pairs_by_worker.join(' + ')}${r.helpers_ready_s.length ? `; helpers ready at ${r.helpers_ready_s.map((s: number | null) => (s === null ? 'never' : `${s} s`)).join(', ')}` : ''}); node CPU ${r.cpu_s} s`,
  );
  if (r.official)
    lines.push(
      `  official tests   expose ${r.official.pairs_exposed_by_official_tests} pairs alone; with the run ${r.official.pairs_exposed_by_either} (run alone ${r.official.pairs_exposed_by_run}); ${r.official.runs} runs, ${r.official.wall_s} s`,
    );
  if (r.baseline)
    lines.push(
      `  baseline         first ${r.baseline.pairs} pairs, ${r.baseline.samples} samples: engine overhead ${r.baseline.engine.overhead_s} s (wall ${r.baseline.engine.wall_s}), fresh python3 per sample ${r.baseline.naive.overhead_s} s (wall ${r.baseline.naive.wall_s}): ratio ${r.baseline.overhead_ratio}×`,
    );
  for (const m of r.verdict_agreement.mismatches.slice(0, 10))
    lines.push(`  mismatch ${m.pair} round ${m.round} sample ${m.sample}: logged ${m.logged}, ours ${m.ours}`);
  return `${lines.join('\n')}\n`;
}

/** One line per 10% of the pairs on stderr. */
class Progress {
  private done_ = 0;
  private dets = 0;
  private lastDecile = -1;
  private readonly started = performance.now();
  constructor(private readonly total: number) {}
  tick(det: boolean): void {
    this.done_++;
    if (det) this.dets++;
    const decile = Math.floor((10 * this.done_) / Math.max(this.total, 1));
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    process.stderr.write(
      `[mokav] ${this.done_}/${this.total} pairs, ${this.dets} with a DET, ${((performance.now() - this.started) / 1000).toFixed(1)} s\n`,
    );
  }
  done(): void {}
}

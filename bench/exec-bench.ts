/**
 * `npm run bench:exec [-- --dataset DIR] [--tasks N] [--baseline-tasks N] [--isolation reuse|fork] [--json]`
 *
 * The full CodeT HumanEval execution workload on the batch engine: every distinct completion against its task's
 * distinct generated tests (0.1 s per test) and against HumanEval's own tests (one 0.1 s timer). Then a re-run
 * with the result cache warm, and a naive fresh-process-per-completion baseline on the first tasks, checked pair
 * by pair against the engine's verdicts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BatchRunOptions } from '../src/execution/batch/batch-options.ts';
import type { PythonMatrixResult, PythonProgramsResult } from '../src/execution/batch/batch-types.ts';
import { evaluatePythonMatrix } from '../src/execution/batch/evaluate-python-matrix.ts';
import { PythonWorkerPool } from '../src/execution/batch/python-worker-pool.ts';
import { runPythonPrograms } from '../src/execution/batch/run-python-programs.ts';
import { ResultCache } from '../src/execution/cache/result-cache.ts';
import { type CodetExecTask, groundTruthProgram, loadCodetExecWorkload } from './codet-workload.ts';
import { type NaiveJob, type NaiveReply, runNaiveAll } from './naive-baseline.ts';

const PER_TEST_MS = 100;
const GROUND_TRUTH_MS = 100;
/** Pairs whose duration is within this fraction of a time limit may legitimately differ between engines. */
const BORDERLINE = 0.2;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: resolve(repoRoot, '../shared/datasets/codet') },
    tasks: { type: 'string' },
    'baseline-tasks': { type: 'string', default: '20' },
    workers: { type: 'string' },
    sandbox: { type: 'string', default: 'auto' },
    isolation: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

interface TaskRun {
  task: CodetExecTask;
  matrix: PythonMatrixResult;
  groundTruth: PythonProgramsResult;
  /** Distinct completions in matrix order, for the ground-truth programs. */
  completions: string[];
}

function log(line: string): void {
  if (!args.json) process.stderr.write(`${line}\n`);
}

async function runEngine(tasks: readonly CodetExecTask[], options: BatchRunOptions): Promise<TaskRun[]> {
  return Promise.all(
    tasks.map(async (task) => {
      const completions = [...new Set(task.completions)];
      const [matrix, groundTruth] = await Promise.all([
        evaluatePythonMatrix(
          { prelude: task.prompt, candidates: task.completions, tests: task.tests, perTestTimeoutMs: PER_TEST_MS },
          options,
        ),
        runPythonPrograms(
          { programs: completions.map((c) => groundTruthProgram(task, c)), timeoutMs: GROUND_TRUTH_MS },
          options,
        ),
      ]);
      return { task, matrix, groundTruth, completions };
    }),
  );
}

function summarize(runs: readonly TaskRun[]) {
  let pairs = 0;
  let testRuns = 0;
  let timeouts = 0;
  let timeoutSeconds = 0;
  let testTimeouts = 0;
  let processTimeouts = 0;
  let groundTruthTimeouts = 0;
  const groundTruth = { passed: 0, failed: 0, timeout: 0 };
  const lost = { overrun: 0, load_error: 0, escaped: 0, crashed: 0 };
  for (const { matrix, groundTruth: gt } of runs) {
    pairs += matrix.candidates.length * matrix.tests.length;
    for (const run of matrix.runs) {
      if (run.status === 'ok') testRuns += matrix.tests.length;
      else lost[run.status]++;
    }
    testTimeouts += matrix.stats.testTimeouts;
    processTimeouts += matrix.stats.processTimeouts;
    timeouts += matrix.stats.testTimeouts + matrix.stats.processTimeouts;
    timeoutSeconds += matrix.stats.testTimeoutSeconds + matrix.stats.processTimeoutSeconds;
    for (const run of gt.runs) groundTruth[run.outcome]++;
    groundTruthTimeouts += gt.stats.timeouts;
    timeouts += gt.stats.timeouts;
    timeoutSeconds += gt.stats.timeoutSeconds;
  }
  return {
    pairs,
    testRuns,
    timeouts,
    timeoutSeconds,
    testTimeouts,
    processTimeouts,
    groundTruthTimeouts,
    groundTruth,
    lost,
  };
}

function near(durationMs: number | undefined, limitMs: number): boolean {
  return durationMs !== undefined && durationMs >= limitMs * (1 - BORDERLINE);
}

interface Comparison {
  pairs: number;
  differing: number;
  differingBorderline: number;
  borderlinePairs: number;
  groundTruthDiffering: number;
  groundTruthDifferingBorderline: number;
  examples: string[];
}

/** Engine verdicts against naive ones, pair by pair; timing-dependent pairs are counted apart. */
function compare(
  runs: readonly TaskRun[],
  naiveDual: Map<string, NaiveReply>,
  naiveGt: Map<string, NaiveReply>,
): Comparison {
  const out: Comparison = {
    pairs: 0,
    differing: 0,
    differingBorderline: 0,
    borderlinePairs: 0,
    groundTruthDiffering: 0,
    groundTruthDifferingBorderline: 0,
    examples: [],
  };
  for (const { task, matrix, groundTruth, completions } of runs) {
    matrix.candidates.forEach((candidate, c) => {
      const run = matrix.runs[c]!;
      const naive = naiveDual.get(`${task.taskId}\0${candidate}`);
      if (naive && matrix.tests.length > 0) {
        const processBorderline = near(run.durationMs, matrix.processLimitMs) || near(naive.ms, matrix.processLimitMs);
        matrix.tests.forEach((_, t) => {
          out.pairs++;
          const engine = matrix.matrix[c]![t]!;
          const baseline = naive.status === 'ok' && naive.passed?.[t] === '1';
          const borderline =
            processBorderline ||
            near(run.testDurationsMs[t], PER_TEST_MS) ||
            near((naive.d?.[t] ?? 0) / 10, PER_TEST_MS);
          if (borderline) out.borderlinePairs++;
          if (engine !== baseline) {
            out.differing++;
            if (borderline) out.differingBorderline++;
            else if (out.examples.length < 5)
              out.examples.push(
                `${task.taskId} candidate ${c} test ${t}: engine ${engine} (${run.status}), naive ${baseline} (${naive.status})`,
              );
          }
        });
      }
    });
    completions.forEach((completion, i) => {
      const run = groundTruth.runs[i]!;
      const naive = naiveGt.get(`${task.taskId}\0${completion}`);
      if (!naive) return;
      const baseline = naive.status === 'passed' ? 'passed' : naive.status === 'timeout' ? 'timeout' : 'failed';
      if (baseline !== run.outcome) {
        out.groundTruthDiffering++;
        const borderline =
          run.outcome === 'timeout' ||
          baseline === 'timeout' ||
          near(run.durationMs, GROUND_TRUTH_MS) ||
          near((naive.d?.[0] ?? 0) / 10, GROUND_TRUTH_MS);
        if (borderline) out.groundTruthDifferingBorderline++;
        else if (out.examples.length < 5)
          out.examples.push(`${task.taskId} ground truth ${i}: engine ${run.outcome}, naive ${baseline}`);
      }
    });
  }
  return out;
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const loadStart = loadavg()[0]!;
  const prepStarted = performance.now();
  const pool = new PythonWorkerPool({
    size: args.workers ? Number(args.workers) : cores,
    sandbox: args.sandbox as 'auto' | 'bwrap' | 'none',
    ...(args.isolation ? { isolation: args.isolation as 'reuse' | 'fork' } : {}),
  });
  const info = await pool.describe();
  let tasks = await loadCodetExecWorkload(args.dataset!, info.python);
  if (args.tasks) tasks = tasks.slice(0, Number(args.tasks));
  const prepSeconds = (performance.now() - prepStarted) / 1000;
  const distinctCompletions = tasks.reduce((n, t) => n + new Set(t.completions).size, 0);
  log(
    `workload: ${tasks.length} tasks, ${tasks.reduce((n, t) => n + t.completions.length, 0)} samples, ${distinctCompletions} distinct completions (prepared in ${prepSeconds.toFixed(1)} s)`,
  );
  log(
    `engine: ${pool.workerCount} warm workers, ${info.python} ${info.version}, sandbox ${info.mode}, ${cores} cores, load ${loadStart.toFixed(2)}`,
  );

  mkdirSync(join(repoRoot, '.refinery', 'cache'), { recursive: true });
  const cacheDir = mkdtempSync(join(repoRoot, '.refinery', 'cache', 'bench-exec-'));
  try {
    // 1. Cold: every pair executes.
    const coldCache = new ResultCache(cacheDir);
    const executedBefore = pool.counters.executed;
    const usageBefore = await pool.usage();
    const nodeCpuBefore = process.cpuUsage();
    let started = performance.now();
    const cold = await runEngine(tasks, { pool, cache: coldCache });
    const wallSeconds = (performance.now() - started) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
    const usageAfter = await pool.usage();
    const cpuSeconds = usageAfter.cpuSeconds - usageBefore.cpuSeconds;
    const pageFaults = usageAfter.pageFaults - usageBefore.pageFaults;
    const forks = usageAfter.forks - usageBefore.forks;
    const retired = Object.fromEntries(
      Object.entries(usageAfter.retired)
        .map(([reason, n]) => [reason, n - (usageBefore.retired[reason] ?? 0)] as const)
        .filter(([reason, n]) => n > 0 && reason !== 'usage'),
    );
    coldCache.flush();
    const executed = pool.counters.executed - executedBefore;
    const figures = summarize(cold);
    log(
      `cold run: ${wallSeconds.toFixed(1)} s wall, ${figures.pairs} pairs (${(figures.pairs / wallSeconds).toFixed(0)} pairs/s), ${executed} jobs in ${forks} forked processes (isolation ${info.isolation})`,
    );
    log(
      `  runners replaced by a fresh fork: ${JSON.stringify(retired)}; this Node process used ${nodeCpuSeconds.toFixed(1)} s CPU`,
    );
    log(
      `  workers used ${cpuSeconds.toFixed(1)} s CPU (${((cpuSeconds / wallSeconds / pool.workerCount) * 100).toFixed(0)}% of ${pool.workerCount} cores' wall time), ${pageFaults} page faults (${(pageFaults / Math.max(1, forks)).toFixed(0)} per fork)`,
    );
    log(
      `  time limits hit: ${figures.timeouts} runs, ${figures.timeoutSeconds.toFixed(1)} s (tests ${figures.testTimeouts}, process overruns ${figures.processTimeouts}, ground truth ${figures.groundTruthTimeouts})`,
    );
    log(
      `  ground truth: ${figures.groundTruth.passed} passed, ${figures.groundTruth.failed} failed, ${figures.groundTruth.timeout} timed out; lost vectors: ${JSON.stringify(figures.lost)}`,
    );

    // 2. Warm: a fresh cache object reads the segments back from disk; nothing may execute.
    const warmCache = new ResultCache(cacheDir);
    const executedBeforeWarm = pool.counters.executed;
    started = performance.now();
    const warm = await runEngine(tasks, { pool, cache: warmCache });
    const warmSeconds = (performance.now() - started) / 1000;
    const warmExecuted = pool.counters.executed - executedBeforeWarm;
    const warmFigures = summarize(warm);
    const warmSame =
      JSON.stringify(warm.map((r) => r.matrix.matrix)) === JSON.stringify(cold.map((r) => r.matrix.matrix));
    log(
      `warm re-run: ${warmSeconds.toFixed(2)} s wall, ${warmExecuted} processes executed, ${warmFigures.pairs} pairs, matrix identical: ${warmSame}`,
    );

    // 3. Baseline slice: the engine again without cache, then a fresh python3 per completion.
    const slice = tasks.slice(0, Number(args['baseline-tasks']));
    started = performance.now();
    await runEngine(slice, { pool, cache: false });
    const engineSliceSeconds = (performance.now() - started) / 1000;
    const naiveJobs: { key: string; kind: 'dual' | 'gt'; job: NaiveJob }[] = [];
    for (const task of slice) {
      const tests = [...new Set(task.tests)];
      for (const completion of new Set(task.completions)) {
        const key = `${task.taskId}\0${completion}`;
        if (tests.length > 0) {
          naiveJobs.push({
            key,
            kind: 'dual',
            job: {
              op: 'matrix',
              tests,
              timeout: PER_TEST_MS / 1000,
              program: `${task.prompt}${completion}\n`,
              limit: (PER_TEST_MS * tests.length + 100) / 1000,
            },
          });
        }
        naiveJobs.push({
          key,
          kind: 'gt',
          job: {
            op: 'program',
            source: groundTruthProgram(task, completion),
            timeout: GROUND_TRUTH_MS / 1000,
            limit: (GROUND_TRUTH_MS + 1000) / 1000,
          },
        });
      }
    }
    started = performance.now();
    const naiveReplies = await runNaiveAll(
      info.python,
      naiveJobs.map((j) => j.job),
      cores,
    );
    const naiveSeconds = (performance.now() - started) / 1000;
    const naiveDual = new Map<string, NaiveReply>();
    const naiveGt = new Map<string, NaiveReply>();
    for (const [i, j] of naiveJobs.entries()) (j.kind === 'dual' ? naiveDual : naiveGt).set(j.key, naiveReplies[i]!);
    const comparison = compare(cold.slice(0, slice.length), naiveDual, naiveGt);
    const ratio = slice.length > 0 ? naiveSeconds / engineSliceSeconds : Number.NaN;
    log(
      `baseline on ${slice.length} tasks: naive ${naiveSeconds.toFixed(1)} s, engine ${engineSliceSeconds.toFixed(1)} s, ratio ${ratio.toFixed(2)}x`,
    );
    log(
      `  verdicts: ${comparison.pairs} pairs compared, ${comparison.differing} differ (${comparison.differingBorderline} within ${BORDERLINE * 100}% of a time limit; ${comparison.borderlinePairs} pairs are that close); ground truth: ${comparison.groundTruthDiffering} differ (${comparison.groundTruthDifferingBorderline} near a limit)`,
    );
    for (const example of comparison.examples) log(`  differs: ${example}`);
    const loadEnd = loadavg()[0]!;

    const result = {
      wall_s: Number(wallSeconds.toFixed(2)),
      pairs: figures.pairs,
      pairs_per_s: Math.round(figures.pairs / wallSeconds),
      timeouts: figures.timeouts,
      timeout_s: Number(figures.timeoutSeconds.toFixed(2)),
      ratio_vs_baseline: Number(ratio.toFixed(2)),
      differing_pairs: comparison.differing + comparison.groundTruthDiffering,
      differing_pairs_near_limit: comparison.differingBorderline + comparison.groundTruthDifferingBorderline,
      pairs_near_limit: comparison.borderlinePairs,
      warm_wall_s: Number(warmSeconds.toFixed(2)),
      warm_executed: warmExecuted,
      warm_identical: warmSame,
      tasks: tasks.length,
      samples: tasks.reduce((n, t) => n + t.completions.length, 0),
      distinct_completions: distinctCompletions,
      test_runs: figures.testRuns,
      jobs: executed,
      forks,
      isolation: info.isolation,
      runners_retired: retired,
      worker_cpu_s: Number(cpuSeconds.toFixed(2)),
      node_cpu_s: Number(nodeCpuSeconds.toFixed(2)),
      worker_page_faults: pageFaults,
      test_timeouts: figures.testTimeouts,
      process_overruns: figures.processTimeouts,
      ground_truth: figures.groundTruth,
      lost_vectors: figures.lost,
      baseline: {
        tasks: slice.length,
        naive_wall_s: Number(naiveSeconds.toFixed(2)),
        engine_wall_s: Number(engineSliceSeconds.toFixed(2)),
        pairs_compared: comparison.pairs,
        ground_truth_differing: comparison.groundTruthDiffering,
      },
      workers: pool.workerCount,
      cores,
      sandbox: info.mode,
      python: `${info.python} ${info.version}`,
      load_avg_start: Number(loadStart.toFixed(2)),
      load_avg_end: Number(loadEnd.toFixed(2)),
      prep_s: Number(prepSeconds.toFixed(2)),
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `wall ${result.wall_s} s | ${result.pairs} pairs | ${result.pairs_per_s} pairs/s | time limits hit ${result.timeouts} runs, ${result.timeout_s} s | ` +
          `${result.ratio_vs_baseline}x naive (first ${slice.length} tasks) | differing pairs ${result.differing_pairs} (${result.differing_pairs_near_limit} near a limit) | warm re-run ${result.warm_wall_s} s\n`,
      );
    }
  } finally {
    await pool.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

await main();

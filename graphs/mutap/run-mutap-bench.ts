import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';
import { loadMutapDataset, loadMutapTotals } from '../../src/datasets/mutap/load-mutap-dataset.ts';
import { loadMutapPerTask, type MutapPerTaskRow } from '../../src/datasets/mutap/load-mutap-per-task.ts';
import type { MutapDatasetTask, MutapTotals } from '../../src/datasets/mutap/mutap-dataset-schema.ts';
import { MUTAP_RELEASED_VARIANTS, resolveTestVariant } from '../../src/datasets/mutap/mutap-test-variants.ts';
import { RefineryError } from '../../src/errors/refinery-error.ts';
import { closeSharedPythonWorkerPool, sharedPythonWorkerPool } from '../../src/execution/batch/index.ts';
import { createBatchMatrixEngine } from '../../src/execution/matrix/batch-matrix-engine.ts';
import { acquireSharedMatrixEngine } from '../../src/execution/matrix/matrix-engine-lease.ts';
import { runFreshProcessCalls } from '../../src/execution/mutap/fresh-process-calls.ts';
import { limitCpuSeconds, MUTAP_HARNESS, MutapCalls, scriptJob } from '../../src/execution/mutap/mutap-calls.ts';
import { formatMutantMatchTable } from '../../src/execution/mutation/format-mutant-match-table.ts';
import { measureMutantMatch } from '../../src/execution/mutation/measure-mutant-match.ts';
import { PutParseError } from '../../src/execution/mutation/put-parse-error.ts';
import { BAD_INPUT_EXIT_CODE } from '../../src/runtime/exit-status.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import { pipelineChecks } from '../../src/runtime/pipeline-checks.ts';
import type { PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import {
  addCounts,
  type MutationCounts,
  mutationScore,
  type PooledScores,
  poolScores,
  type SuiteOnPut,
} from '../../src/techniques/mutap/mutation-score.ts';
import { scoreSuite } from '../../src/techniques/mutap/score-suite.ts';
import { scoringBody, scoringProgram } from '../../src/techniques/mutap/test-file.ts';
import { MUTAP_BENCH_DEFAULTS as DEFAULTS, type MutapBenchFlags } from './mutap-bench-flags.ts';
import { mutapOptionsSchema } from './mutap-options.ts';
import { runMutapGraphBench } from './run-mutap-graph-bench.ts';

type MutantMode = 'released' | 'generated';

/** One (variant, task) cell: null when the task has no usable test for the variant. */
interface TaskFigures {
  task: string;
  file: string | null;
  counts: MutationCounts | null;
  suiteOnPut: SuiteOnPut | null;
  mutants: number;
  /** The PUT does not parse (generated mutants only). */
  error?: string;
}

interface VariantFigures {
  variant: string;
  tasks: TaskFigures[];
  pooled: PooledScores;
}

/**
 * `refinery bench mutap`: every released test file of the slice (per variant) scored against the task's mutants on
 * the shared engine, as MuTAP's Mutation_Score.py does (techniques §3.2 stage 5), compared with the released totals;
 * then the speed figures: wall, limit seconds, overhead, and the ratio against MuTAP's design on the first tasks.
 */
export async function runBenchMutap(flags: MutapBenchFlags, services: PipelineCommandServices): Promise<number> {
  const fromRoot = (file: string) => resolve(PACKAGE_ROOT, file);
  const fromCwd = (file: string) => resolve(services.cwd, file);
  const tasksFile = flags.tasks ? fromCwd(flags.tasks) : fromRoot(DEFAULTS.tasks);
  const totalsFile = flags.totals ? fromCwd(flags.totals) : join(dirname(tasksFile), DEFAULTS.totalsName);
  const perTaskFile = join(dirname(tasksFile), DEFAULTS.perTaskName);
  const configPath = flags.config
    ? fromCwd(flags.config)
    : fromRoot(flags.run === 'few-shot' ? DEFAULTS.configFewShot : DEFAULTS.config);
  const fail = (message: string) => {
    process.stderr.write(`refinery bench mutap: ${message}\n`);
    return BAD_INPUT_EXIT_CODE;
  };

  let dataset: MutapDatasetTask[];
  let totals: MutapTotals | null = null;
  let perTask: MutapPerTaskRow[] = [];
  try {
    dataset = loadMutapDataset(tasksFile);
    if (flags.totals || existsSync(totalsFile)) totals = loadMutapTotals(totalsFile);
    if ((totals || flags.run) && !flags.totals && existsSync(perTaskFile)) perTask = loadMutapPerTask(perTaskFile);
  } catch (error) {
    if (RefineryError.isInstance(error)) return fail(error.message);
    throw error;
  }
  if (flags.ids) {
    const wanted = flags.ids
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const missing = wanted.filter((id) => !dataset.some((t) => t.task === id));
    if (missing.length > 0) return fail(`--ids: no task ${missing.join(', ')} in ${tasksFile}`);
    dataset = dataset.filter((t) => wanted.includes(t.task));
  }
  const known = totals ? Object.keys(totals.totals_by_test_file) : [...MUTAP_RELEASED_VARIANTS];
  const variants = flags.variant.length > 0 ? flags.variant : known;
  const unknown = variants.filter((v) => !known.includes(v));
  if (unknown.length > 0)
    return fail(
      `--variant: ${unknown.map((v) => `'${v}'`).join(', ')} is not a variant of ${totals ? totalsFile : 'the released slice'} (one of: ${known.join(' | ')})`,
    );

  const loaded = await loadPipelineConfig(configPath, { set: flags.set, ...pipelineChecks(services.pipelines) });
  const options = mutapOptionsSchema.parse(loaded.config.options ?? {});
  const lease = acquireSharedMatrixEngine({ config: loaded.config, baseDir: loaded.baseDir });
  // The sandbox's address-space cap of the config (execution.memoryMb), also for the baseline's runs.
  const memoryMb = loaded.config.execution.memoryMb;
  const limits = { cpuLimitSec: options.cpuLimitSec, wallLimitSec: options.wallLimitSec, memoryMb };
  const calls = new MutapCalls(lease.engine, limits);
  if (flags.run) {
    try {
      return await runMutapGraphBench({
        setting: flags.run,
        dataset,
        tasksFile,
        perTask,
        loaded,
        configPath,
        set: flags.set,
        engine: lease.engine,
        services,
        outDir: flags.out ? fromCwd(flags.out) : undefined,
        json: flags.json,
      });
    } finally {
      await lease.release();
      await closeSharedPythonWorkerPool();
    }
  }
  const modes: MutantMode[] = flags.mutants === 'both' ? ['released', 'generated'] : [flags.mutants];
  const cores = availableParallelism();
  const loadAtStart = loadavg()[0]!;

  try {
    const started = performance.now();
    // Mutants per task, per mode (generated: Refinery's engine, with the operator-match table against the released).
    const mutantSets = new Map<MutantMode, Map<string, string[] | PutParseError>>();
    let matchTable: string | null = null;
    let matchRate: { matched: number; released: number } | null = null;
    if (modes.includes('released'))
      mutantSets.set('released', new Map(dataset.map((t) => [t.task, t.mutants.map((m) => m.code)])));
    if (modes.includes('generated')) {
      const { report, generated } = await measureMutantMatch(
        dataset.map((t) => ({
          task: t.task,
          put: t.put,
          released: t.mutants.map((m) => ({ operator: m.operator, source: m.code, name: m.name })),
        })),
      );
      matchTable = formatMutantMatchTable(report);
      matchRate = { matched: report.total.matched, released: report.total.released };
      mutantSets.set(
        'generated',
        new Map(
          [...generated].map(([task, result]) => [
            task,
            result instanceof PutParseError ? result : result.map((m) => m.source),
          ]),
        ),
      );
    }

    const figures = new Map<MutantMode, VariantFigures[]>();
    for (const mode of modes) {
      const sets = mutantSets.get(mode)!;
      const perVariant = await Promise.all(
        variants.map(async (variant): Promise<VariantFigures> => {
          const tasks = await Promise.all(
            dataset.map(async (task): Promise<TaskFigures> => {
              const mutants = sets.get(task.task);
              const resolved = resolveTestVariant(task, variant);
              const body = resolved ? scoringBody(resolved.content, resolved.kind) : null;
              const base = { task: task.task, file: resolved?.file ?? null, counts: null, suiteOnPut: null };
              if (mutants instanceof PutParseError) return { ...base, mutants: 0, error: mutants.message };
              if (body === null || mutants === undefined) return { ...base, mutants: mutants?.length ?? 0 };
              const score = await scoreSuite(calls.runScripts, { put: task.put, mutants, body });
              return { ...base, counts: score.counts, suiteOnPut: score.suiteOnPut, mutants: mutants.length };
            }),
          );
          const scored = tasks.flatMap((t) =>
            t.counts && t.suiteOnPut ? [{ counts: t.counts, suiteOnPut: t.suiteOnPut }] : [],
          );
          return { variant, tasks, pooled: poolScores(scored) };
        }),
      );
      figures.set(mode, perVariant);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const main = { ...calls.stats };

    // Speed: the first N tasks again, uncached, on the engine and in MuTAP's design (a fresh python3 per program).
    const baseline = flags.baselineTasks > 0 ? await speedComparison(dataset.slice(0, flags.baselineTasks)) : null;

    const report = {
      tasksFile,
      totals,
      perTask,
      figures,
      wallSeconds,
      limitSeconds: main.limitSeconds,
      stats: main,
      cores,
      load: { start: round2(loadAtStart), end: round2(loadavg()[0]!) },
      baseline,
      matchTable,
      matchRate,
      cpuLimitSec: options.cpuLimitSec,
    };
    process.stdout.write(flags.json ? `${JSON.stringify(jsonReport(report))}\n` : humanReport(report));
    return 0;
  } finally {
    await lease.release();
    await closeSharedPythonWorkerPool();
  }

  async function speedComparison(tasks: MutapDatasetTask[]): Promise<SpeedComparison> {
    const programs = tasks.flatMap((task) =>
      variants.flatMap((variant) => {
        const resolved = resolveTestVariant(task, variant);
        const body = resolved ? scoringBody(resolved.content, resolved.kind) : null;
        return body === null ? [] : [...task.mutants.map((m) => m.code), task.put].map((s) => scoringProgram(s, body));
      }),
    );
    const pool = sharedPythonWorkerPool({
      sandbox: loaded.config.execution.sandbox,
      ...(loaded.config.execution.workers !== undefined ? { size: loaded.config.execution.workers } : {}),
    });
    const uncached = new MutapCalls(createBatchMatrixEngine({ pool, cache: false }), limits);
    const engineStarted = performance.now();
    await uncached.runScripts(programs);
    const engineWall = (performance.now() - engineStarted) / 1000;
    const { python } = await pool.forCalls().describe();
    const freshStarted = performance.now();
    const outcomes = await runFreshProcessCalls(
      { python, harness: MUTAP_HARNESS, jobs: programs.map((p) => scriptJob(p, false, memoryMb)), ...limits },
      cores,
    );
    const freshWall = (performance.now() - freshStarted) / 1000;
    const freshLimit = outcomes.reduce((sum, o) => sum + limitCpuSeconds(o, limits.cpuLimitSec), 0);
    const engineOverhead = engineWall - uncached.stats.limitSeconds / cores;
    const freshOverhead = freshWall - freshLimit / cores;
    return {
      tasks: tasks.length,
      programs: programs.length,
      engine: { wall: engineWall, limitSeconds: uncached.stats.limitSeconds, overhead: engineOverhead },
      fresh: { wall: freshWall, limitSeconds: freshLimit, overhead: freshOverhead },
      ratio: engineOverhead > 0 ? freshOverhead / engineOverhead : null,
    };
  }
}

interface SpeedSide {
  wall: number;
  limitSeconds: number;
  overhead: number;
}

interface SpeedComparison {
  tasks: number;
  programs: number;
  engine: SpeedSide;
  fresh: SpeedSide;
  /** Overhead of MuTAP's design ÷ the engine's. */
  ratio: number | null;
}

type BenchReport = {
  tasksFile: string;
  totals: MutapTotals | null;
  perTask: MutapPerTaskRow[];
  figures: Map<MutantMode, VariantFigures[]>;
  wallSeconds: number;
  limitSeconds: number;
  stats: MutapCalls['stats'];
  cores: number;
  load: { start: number; end: number };
  baseline: SpeedComparison | null;
  matchTable: string | null;
  matchRate: { matched: number; released: number } | null;
  cpuLimitSec: number;
};

const round2 = (value: number) => Math.round(value * 100) / 100;
const round4 = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);
const pct = (value: number | null) => (value === null ? '   -  ' : `${(100 * value).toFixed(1).padStart(5)}%`);

/**
 * The released counts of a variant over the tasks scored: the per-task rows summed when the per-task file is at hand
 * (so `--ids` compares like with like), else the totals file's line when every one of its tasks was scored.
 */
function released(report: BenchReport, variant: string): MutationCounts | null {
  const scored =
    report.figures
      .get('released')
      ?.find((f) => f.variant === variant)
      ?.tasks.map((t) => t.task) ?? [];
  if (report.perTask.length > 0) {
    const rows = report.perTask.filter((row) => row.testFile === variant && scored.includes(row.task));
    if (rows.length < scored.length) return null;
    return rows.reduce((sum, row) => (row.counts ? addCounts(sum, row.counts) : sum), {
      killed: 0,
      survived: 0,
      problematic: 0,
      timeout: 0,
    });
  }
  const line = report.totals?.totals_by_test_file[variant];
  const all = report.totals?.tasks.every((task) => scored.includes(task)) ?? false;
  return line && all ? line : null;
}

function sameCounts(a: MutationCounts, b: MutationCounts): boolean {
  return (
    a.killed === b.killed && a.survived === b.survived && a.problematic === b.problematic && a.timeout === b.timeout
  );
}

function variantJson(figure: VariantFigures) {
  const { pooled } = figure;
  const suiteOnPut: Record<string, number> = {};
  for (const t of figure.tasks) if (t.suiteOnPut) suiteOnPut[t.suiteOnPut] = (suiteOnPut[t.suiteOnPut] ?? 0) + 1;
  return {
    ...pooled.counts,
    ms: round4(pooled.ms),
    ms_clean: round4(pooled.msClean),
    tasks_with_test: pooled.suites,
    suite_on_put: suiteOnPut,
  };
}

function jsonReport(report: BenchReport) {
  const section = (mode: MutantMode) => {
    const figures = report.figures.get(mode);
    if (!figures) return undefined;
    return Object.fromEntries(figures.map((f) => [f.variant, variantJson(f)]));
  };
  const releasedFigures = report.figures.get('released');
  const primary = releasedFigures ? 'released' : 'generated';
  const perTask = (mode: MutantMode) =>
    Object.fromEntries(
      (report.figures.get(mode) ?? []).map((f) => [
        f.variant,
        Object.fromEntries(
          f.tasks.map((t) => [
            t.task,
            t.counts ? { ...t.counts, suite_on_put: t.suiteOnPut } : t.error ? { error: t.error } : null,
          ]),
        ),
      ]),
    );
  return {
    variants: section(primary),
    ...(primary === 'released' && report.figures.has('generated') ? { variants_generated: section('generated') } : {}),
    mutants: primary,
    wall_s: round2(report.wallSeconds),
    timeout_s: round2(report.limitSeconds),
    timeout_wall_s: round2(report.stats.limitWallSeconds),
    overhead_s: round2(report.wallSeconds - report.limitSeconds / report.cores),
    other_cpu_s: round2(report.stats.otherCpuSeconds),
    memory_cap: { runs: report.stats.memoryCapRuns, cpu_s: round2(report.stats.memoryCapCpuSeconds) },
    cores: report.cores,
    cpu_limit_s: report.cpuLimitSec,
    runs: {
      calls: report.stats.calls,
      executed: report.stats.executed,
      cached: report.stats.cached,
      timeouts: report.stats.timeouts,
    },
    load_average: report.load,
    ...(report.totals && releasedFigures
      ? {
          equal_to_released: Object.fromEntries(
            releasedFigures.map((f) => {
              const r = released(report, f.variant);
              return [f.variant, r ? sameCounts(f.pooled.counts, r) : null];
            }),
          ),
        }
      : {}),
    ...(report.baseline ? { baseline: report.baseline } : {}),
    ...(report.matchRate ? { mutant_match: report.matchRate } : {}),
    per_task: perTask(primary),
  };
}

function countsText(c: MutationCounts): string {
  return `${String(c.killed).padStart(4)} ${String(c.survived).padStart(4)} ${String(c.problematic).padStart(4)} ${String(c.timeout).padStart(4)}`;
}

function humanReport(report: BenchReport): string {
  const out: string[] = [];
  const expected = new Map(report.perTask.map((row) => [`${row.testFile}\u0000${row.task}`, row]));
  for (const [mode, figures] of report.figures) {
    out.push(`MuTAP mutation scores, ${mode} mutants, ${report.cpuLimitSec} s CPU per run (${report.tasksFile})`);
    for (const figure of figures) {
      out.push(`\n${figure.variant}`);
      out.push('  task    K    S    P    T     MS  on PUT');
      for (const t of figure.tasks) {
        const row = mode === 'released' ? expected.get(`${figure.variant}\u0000${t.task}`) : undefined;
        let line: string;
        if (t.error) line = `  ${t.task.padStart(4)}  PUT does not parse: ${t.error}`;
        else if (!t.counts) line = `  ${t.task.padStart(4)}  no usable test${t.file ? '' : ' file'}`;
        else line = `  ${t.task.padStart(4)} ${countsText(t.counts)} ${pct(mutationScore(t.counts))}  ${t.suiteOnPut}`;
        if (row && (row.counts === null) !== (t.counts === null)) line += '   ≠ released (usable test)';
        else if (row?.counts && t.counts && !sameCounts(row.counts, t.counts))
          line += `   ≠ released ${countsText(row.counts).trim().replace(/\s+/g, '/')}`;
        out.push(line);
      }
    }
    out.push(`\nTotals, ${mode} mutants: K S P T, MS = K/(K+S), clean MS (suites passing on their PUT)`);
    out.push(`  ${'variant'.padEnd(72)}    K    S    P    T     MS  clean MS  tasks`);
    for (const figure of figures) {
      const p = figure.pooled;
      let line = `  ${figure.variant.padEnd(72)} ${countsText(p.counts)} ${pct(p.ms)}    ${pct(p.msClean)}  ${p.suites}`;
      const r = mode === 'released' ? released(report, figure.variant) : null;
      if (r)
        line += sameCounts(p.counts, r)
          ? '   = released'
          : `   ≠ released ${r.killed}/${r.survived}/${r.problematic}/${r.timeout}`;
      out.push(line);
    }
    out.push('');
  }
  if (report.matchTable) out.push('Generated mutants against the released ones:', report.matchTable, '');
  const overhead = report.wallSeconds - report.limitSeconds / report.cores;
  const s = report.stats;
  const idle = report.wallSeconds * report.cores - report.limitSeconds - s.otherCpuSeconds;
  out.push(
    `wall ${report.wallSeconds.toFixed(1)} s; ${s.timeouts} runs hit the limit, ${report.limitSeconds.toFixed(1)} s of CPU in them ` +
      `(${s.limitWallSeconds.toFixed(1)} s of wall); overhead ${overhead.toFixed(1)} s (wall − limit seconds ÷ ${report.cores} cores); ` +
      `${s.calls} runs asked, ${s.executed} executed, ${s.cached} from the cache; 1-min load ${report.load.start} → ${report.load.end}`,
    `  the overhead's parts: the other runs' CPU ${s.otherCpuSeconds.toFixed(1)} s ÷ ${report.cores} = ` +
      `${(s.otherCpuSeconds / report.cores).toFixed(1)} s (of which ${s.memoryCapRuns} runs grown into the memory cap: ` +
      `${s.memoryCapCpuSeconds.toFixed(1)} s); the rest, ${(idle / report.cores).toFixed(1)} s, is cores not running a program ` +
      '(the engine, idle cores, other load on the machine)',
  );
  const b = report.baseline;
  if (b) {
    const line = (name: string, x: SpeedSide) =>
      `  ${name.padEnd(38)} wall ${x.wall.toFixed(1)} s, limit ${x.limitSeconds.toFixed(1)} s, overhead ${x.overhead.toFixed(1)} s`;
    out.push(
      `first ${b.tasks} tasks, ${b.programs} programs, uncached, ${report.cores} at a time:`,
      line('engine (warm workers)', b.engine),
      line('MuTAP design (fresh python3 each)', b.fresh),
      `  overhead ratio ${b.ratio === null ? '-' : `${b.ratio.toFixed(1)}×`}`,
    );
  }
  return `${out.join('\n')}\n`;
}

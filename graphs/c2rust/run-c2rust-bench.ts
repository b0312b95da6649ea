import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTaskPool } from '../../src/batch/run-task-pool.ts';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';
import {
  type C2RustTaskFolder,
  listC2RustTaskFolders,
  loadC2RustTaskFolder,
  recordedTranslationSource,
} from '../../src/datasets/load-c2rust-tasks.ts';
import { analyzeCProgram } from '../../src/execution/c2rust/analyze-c-program.ts';
import { sharedWorkbench, workbenchCacheDir } from '../../src/execution/c2rust/c2rust-workbench.ts';
import { checkCOracle } from '../../src/execution/c2rust/check-c-oracle.ts';
import { defaultLimits, mergeLimits } from '../../src/execution/execution-limits.ts';
import type { ModelClient } from '../../src/models/model-types.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import { BAD_INPUT_EXIT_CODE } from '../../src/runtime/exit-status.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import { pipelineChecks } from '../../src/runtime/pipeline-checks.ts';
import type { PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { runPipeline } from '../../src/runtime/run-pipeline.ts';
import { createSpineModelClient } from '../../src/runtime/spine-factories.ts';
import {
  addUnsafeCensus,
  emptyUnsafeCensus,
  UNSAFE_CATEGORIES,
  type UnsafeCensus,
} from '../../src/techniques/c2rust/unsafe-census.ts';
import { C2RUST_BENCH_DEFAULTS, type C2RustBenchFlags } from './c2rust-bench-flags.ts';
import { type C2RustOptions, type C2RustResult, c2rustOptionsSchema } from './c2rust-schemas.ts';
import { withLiveFallback } from './recorded-or-live-model.ts';

interface TaskLine {
  id: string;
  kind: 'translated' | 'c-check';
  status: string;
  outcome: string | null;
  message: string;
  rust_builds: boolean | null;
  tests: { passed: number; total: number } | null;
  stdout_equal: boolean | null;
  /** Rust non-blank lines over C non-blank lines. */
  line_ratio?: number | null;
  unsafe: UnsafeCensus | null;
  build_s: number;
  run_s: number;
  /** C checks: tests passing at -O0, -O2 and under the sanitizers, with the recorded output. */
  c_tests?: { passed: number; total: number };
  c_status?: string;
  callgraph_equal?: boolean | null;
}

/** `refinery bench c2rust`: see the command's help and docs/c2rust.md. */
export async function runC2RustBench(flags: C2RustBenchFlags, services: PipelineCommandServices): Promise<number> {
  const tasksDir = flags.tasks
    ? resolve(services.cwd, flags.tasks)
    : resolve(PACKAGE_ROOT, C2RUST_BENCH_DEFAULTS.tasks);
  const configPath = flags.config
    ? resolve(services.cwd, flags.config)
    : resolve(PACKAGE_ROOT, C2RUST_BENCH_DEFAULTS.config);
  if (!existsSync(tasksDir)) {
    process.stderr.write(`refinery bench c2rust: --tasks: no folder ${tasksDir}\n`);
    return BAD_INPUT_EXIT_CODE;
  }
  const folders = listC2RustTaskFolders(tasksDir).map(loadC2RustTaskFolder);
  if (folders.length === 0) {
    process.stderr.write(`refinery bench c2rust: --tasks: ${tasksDir} holds no task folder (a folder with main.c)\n`);
    return BAD_INPUT_EXIT_CODE;
  }
  const loaded = await loadPipelineConfig(configPath, { set: flags.set, ...pipelineChecks(services.pipelines) });
  const config = loaded.config;
  const options = c2rustOptionsSchema.parse(config.options) as C2RustOptions;
  const bench = sharedWorkbench({
    sandbox: config.execution.sandbox,
    cacheDir: workbenchCacheDir(config.execution, loaded.baseDir),
  });
  const limits = mergeLimits(defaultLimits, {
    wallMs: Math.round(options.runTimeoutSec * 1000),
    memoryMb: config.execution.memoryMb,
    outputBytes: config.execution.outputBytes,
  });

  const recorded = new RecordedSamplesModel(recordedTranslationSource(folders));
  const coderModel = config.agents.coder?.model ?? 'default';
  const model: ModelClient =
    flags.onDivergence === 'live'
      ? withLiveFallback(recorded, () => liveClient(config, coderModel, loaded.baseDir))
      : recorded;

  const outDir = flags.out ? resolve(services.cwd, flags.out) : undefined;
  if (outDir) mkdirSync(join(outDir, 'trajectories'), { recursive: true });
  const started = performance.now();
  const errors: string[] = [];
  let lines: TaskLine[];
  try {
    // The spine's batch runner: the task folders in order, `concurrency` at a time, a line each as it ends.
    const { results } = await runTaskPool({
      tasks: folders,
      concurrency: flags.concurrency,
      run: async (folder) => {
        try {
          return folder.recording
            ? await translateTask(folder, configPath, flags, services, model, outDir, Object.keys(config.models))
            : await checkCTask(folder, bench, limits);
        } catch (error) {
          errors.push(`${folder.id}: ${(error as Error).message}`);
          return emptyLine(folder, 'error', (error as Error).message);
        }
      },
      onDone: ({ index, result }) =>
        process.stderr.write(`[c2rust] ${index + 1}/${folders.length} ${describe(result)}\n`),
    });
    lines = results as TaskLine[];
  } finally {
    bench.flush();
  }
  const wall = (performance.now() - started) / 1000;
  const translated = lines.filter((l) => l.kind === 'translated');
  const checked = lines.filter((l) => l.c_tests);
  const unsafe = translated.reduce((sum, l) => (l.unsafe ? addUnsafeCensus(sum, l.unsafe) : sum), emptyUnsafeCensus());
  const counters = bench.counters;
  const summary = {
    tasks: lines.length,
    translated: translated.length,
    rust_builds: translated.filter((l) => l.rust_builds).length,
    stdout_equal: translated.filter((l) => l.stdout_equal).length,
    tests_passed: translated.reduce((s, l) => s + (l.tests?.passed ?? 0), 0),
    tests_total: translated.reduce((s, l) => s + (l.tests?.total ?? 0), 0),
    outcomes: countBy(lines.map((l) => l.outcome ?? l.status)),
    unsafe: {
      ...unsafe.categories,
      unsafe_blocks: unsafe.unsafeBlocks,
      unsafe_fns: unsafe.unsafeFns,
      unsafe_line_share: unsafe.lines ? round(unsafe.unsafeLines / unsafe.lines, 4) : 0,
      static_mut_items: unsafe.staticMutItems,
      raw_pointer_types: unsafe.rawPointerTypes,
    },
    c_checked: checked.length,
    c_all_tests_pass: checked.filter((l) => l.c_tests!.passed === l.c_tests!.total && l.c_tests!.total > 0).length,
    c_tests_passed: checked.reduce((s, l) => s + l.c_tests!.passed, 0),
    c_tests_total: checked.reduce((s, l) => s + l.c_tests!.total, 0),
    callgraph_equal: lines.filter((l) => l.callgraph_equal === true).length,
    callgraph_compared: lines.filter((l) => l.callgraph_equal !== undefined && l.callgraph_equal !== null).length,
    build_s: round(counters.buildSeconds, 2),
    builds: counters.builds,
    run_s: round(counters.runSeconds, 2),
    runs: counters.runs,
    cache_hits: counters.cacheHits,
    cache_misses: counters.cacheMisses,
    wall_s: round(wall, 2),
    errors: errors.length,
    per_task: lines,
  };
  if (outDir) writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(humanReport(summary, lines));
  for (const error of errors) process.stderr.write(`error: ${error}\n`);
  return errors.length > 0 ? 3 : 0;
}

async function translateTask(
  folder: C2RustTaskFolder,
  configPath: string,
  flags: C2RustBenchFlags,
  services: PipelineCommandServices,
  model: ModelClient,
  outDir: string | undefined,
  modelNames: readonly string[],
): Promise<TaskLine> {
  const run = await runPipeline({
    configPath,
    // A recorded translation is a whole file: the whole program is one unit.
    // It measures the released translation: a C side with undefined behaviour is reported, and tested against anyway.
    set: ['options.units=program', 'options.onUntrustedOracle=continue', ...flags.set],
    task: { id: folder.id, files: folder.files, tests: folder.tests, comparison: folder.comparison },
    // The recorded model stands in for every configured model (the coder is the only agent).
    models: Object.fromEntries(modelNames.map((name) => [name, model])),
    progress: silentProgress,
    pipelines: services.pipelines,
    trajectoryPath: outDir ? join(outDir, 'trajectories', `${folder.id.replaceAll('/', '_')}.jsonl`) : null,
    cwd: services.cwd,
  });
  const result = run.result as C2RustResult | null;
  if (!result) return emptyLine(folder, run.status, run.summary);
  return {
    id: folder.id,
    kind: 'translated',
    status: run.status,
    outcome: result.outcome,
    message: result.firstFailure?.ending
      ? `${result.message}; the Rust run ${result.firstFailure.ending}`
      : result.message,
    c_status: result.cOracle ?? 'none',
    rust_builds: result.firstBuild,
    tests: result.tests,
    stdout_equal: result.firstTestsEqual,
    line_ratio: result.lineRatio,
    unsafe: result.unsafe,
    build_s: round(result.timing.buildMs / 1000, 2),
    run_s: round(result.timing.runMs / 1000, 2),
  };
}

async function checkCTask(
  folder: C2RustTaskFolder,
  bench: ReturnType<typeof sharedWorkbench>,
  limits: ReturnType<typeof mergeLimits>,
): Promise<TaskLine> {
  const started = { ...bench.counters };
  const analysis = await analyzeCProgram(bench, folder.files);
  const ref =
    (folder.meta?.callgraph_ref as { calls?: Record<string, string[]>; reachable_from_main?: string[] } | undefined) ??
    undefined;
  const callgraphEqual =
    ref?.calls && analysis.status === 'ok'
      ? JSON.stringify(analysis.graph.calls) === JSON.stringify(ref.calls) &&
        JSON.stringify([...analysis.reachableDirect].sort()) ===
          JSON.stringify([...(ref.reachable_from_main ?? [])].sort())
      : ref?.calls
        ? false
        : null;
  const tests = folder.tests.length > 0 ? folder.tests : [{ stdin: '' }];
  const oracle = await checkCOracle(bench, folder.files, tests, folder.comparison, limits);
  const passed = oracle.tests.filter((t) => t.buildsAgree && t.matchesRecorded !== false).length;
  return {
    id: folder.id,
    kind: 'c-check',
    status: oracle.status === 'ok' ? 'passed' : 'failed',
    outcome: analysis.status === 'ok' ? oracle.status : analysis.status,
    message: oracle.status === 'ok' ? '' : oracle.message,
    rust_builds: null,
    tests: null,
    stdout_equal: null,
    unsafe: null,
    build_s: round(bench.counters.buildSeconds - started.buildSeconds, 2),
    run_s: round(bench.counters.runSeconds - started.runSeconds, 2),
    c_tests: { passed, total: oracle.tests.length },
    c_status: oracle.status,
    callgraph_equal: callgraphEqual,
  };
}

function emptyLine(folder: C2RustTaskFolder, status: string, message: string): TaskLine {
  return {
    id: folder.id,
    kind: folder.recording ? 'translated' : 'c-check',
    status,
    outcome: null,
    message,
    rust_builds: null,
    tests: null,
    stdout_equal: null,
    unsafe: null,
    build_s: 0,
    run_s: 0,
  };
}

function liveClient(
  config: Awaited<ReturnType<typeof loadPipelineConfig>>['config'],
  modelName: string,
  baseDir: string,
): ModelClient {
  const modelConfig = config.models[modelName];
  if (!modelConfig) throw new Error(`models.${modelName} is not configured`);
  return createSpineModelClient(modelConfig, {
    budget: new BudgetTracker(config.budgets),
    pricing: config.pricing,
    configKey: modelName,
    baseDir,
  });
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function describe(line: TaskLine): string {
  if (line.kind === 'c-check')
    return `${line.id}: C ${line.c_status ?? line.status} (${line.c_tests?.passed ?? 0}/${line.c_tests?.total ?? 0} tests agree), call graph ${line.callgraph_equal === null ? 'n/a' : line.callgraph_equal ? 'equal' : 'DIFFERENT'}`;
  const unsafeTotal = line.unsafe ? UNSAFE_CATEGORIES.reduce((s, c) => s + line.unsafe!.categories[c], 0) : 0;
  return (
    `${line.id}: ${line.outcome ?? line.status}, builds ${fmt(line.rust_builds)}, stdout-equal ${fmt(line.stdout_equal)}` +
    `${line.tests ? `, tests ${line.tests.passed}/${line.tests.total}` : ''}, unsafe ${unsafeTotal}, C oracle ${line.c_status ?? '-'}, build ${line.build_s} s, run ${line.run_s} s`
  );
}
const fmt = (v: boolean | null) => (v === null ? '-' : v ? 'yes' : 'no');

function humanReport(summary: Record<string, unknown> & { per_task: TaskLine[] }, lines: TaskLine[]): string {
  const s = summary as unknown as Record<string, number> & {
    unsafe: Record<string, number>;
    outcomes: Record<string, number>;
  };
  const out = lines.map(
    (l) => `  ${describe(l)}${l.message && l.outcome !== 'passed' ? `\n      ${l.message.split('\n')[0]}` : ''}`,
  );
  out.push(
    '',
    `translated ${s.translated}: rust builds ${s.rust_builds}, stdout-equal ${s.stdout_equal} (tests ${s.tests_passed}/${s.tests_total})`,
    `unsafe: ${UNSAFE_CATEGORIES.map((c) => `${c} ${s.unsafe[c]}`).join(', ')}; unsafe blocks ${s.unsafe.unsafe_blocks}, unsafe fns ${s.unsafe.unsafe_fns}, share of lines in unsafe ${(100 * s.unsafe.unsafe_line_share!).toFixed(2)}%`,
    `C checked ${s.c_checked}: all tests pass at -O0/-O2/sanitizers ${s.c_all_tests_pass} (${s.c_tests_passed}/${s.c_tests_total} tests); call graph equal to callgraph_ref ${s.callgraph_equal}/${s.callgraph_compared}`,
    `outcomes: ${Object.entries(s.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `build ${s.build_s} s (${s.builds} builds), run ${s.run_s} s (${s.runs} runs), cache hits ${s.cache_hits}, misses ${s.cache_misses}; wall ${s.wall_s} s (2 slots; build and run seconds are summed over both)`,
    '',
  );
  return out.join('\n');
}

import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runTaskPool } from '../../src/batch/run-task-pool.ts';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';
import { loadHumanEvalProblems } from '../../src/datasets/load-humaneval-problems.ts';
import { closeSharedPythonWorkerPool } from '../../src/execution/batch/index.ts';
import { sharedCompileChecker } from '../../src/execution/compile/python-compile-checker.ts';
import { joinSamplesByPrompt } from '../../src/models/recorded/join-samples-by-prompt.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import { sampleSourceByAgent, sampleSourceFromMap } from '../../src/models/recorded/sample-source.ts';
import { BAD_INPUT_EXIT_CODE } from '../../src/runtime/exit-status.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import { pipelineChecks } from '../../src/runtime/pipeline-checks.ts';
import type { AnyPipelineDefinition, PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { runPipeline } from '../../src/runtime/run-pipeline.ts';
import { type BenchSummary, type BenchTaskFigures, summarizeBench } from '../../src/techniques/codet/bench-summary.ts';
import { type CodetBenchFlags, CODET_BENCH_DEFAULTS as DEFAULTS, TEST_PROBLEMS_NAME } from './codet-bench-flags.ts';
import type { CodetOptions } from './codet-options.ts';
import type { CodetPipelineDeps, CodetResult } from './codet-pipeline.ts';
import type { CodetTask } from './codet-task.ts';

/**
 * `refinery bench codet`: every task through the CodeT graph on recorded samples; prints pass@k figures. One engine
 * lease for the whole run, bound to every task's pipeline definition.
 */
export async function runBenchCodet(
  flags: CodetBenchFlags,
  services: PipelineCommandServices,
  createPipeline: (deps: CodetPipelineDeps) => AnyPipelineDefinition,
): Promise<number> {
  const fromRoot = (file: string) => resolve(PACKAGE_ROOT, file);
  const fromCwd = (file: string) => resolve(services.cwd, file);
  const problemsFile = flags.problems ? fromCwd(flags.problems) : fromRoot(DEFAULTS.problems);
  const testProblemsFile = flags.testProblems
    ? fromCwd(flags.testProblems)
    : join(dirname(problemsFile), TEST_PROBLEMS_NAME);
  const solutionsFile = flags.solutions ? fromCwd(flags.solutions) : fromRoot(DEFAULTS.solutions);
  const testsFile = flags.tests ? fromCwd(flags.tests) : fromRoot(DEFAULTS.tests);
  const configPath = flags.config ? fromCwd(flags.config) : fromRoot(DEFAULTS.config);
  const concurrency = flags.concurrency;
  const slowdown = flags.timingWhatIf;

  // One engine lease for the whole run keeps the batch pool warm: every task runs a definition bound to it.
  const unbound = createPipeline({});
  const loaded = await loadPipelineConfig(configPath, {
    set: flags.set,
    ...pipelineChecks(services.pipelines.with(unbound)),
  });
  const { acquireSharedMatrixEngine } = await import('../../src/execution/matrix/matrix-engine-lease.ts');
  const lease = acquireSharedMatrixEngine({ config: loaded.config, baseDir: loaded.baseDir }, { slowdown });
  const pipeline = createPipeline({ acquireEngine: () => ({ engine: lease.engine, release() {} }) });
  const pipelines = services.pipelines.with(pipeline);
  const definition = pipeline;
  const options = definition.optionsSchema.parse(loaded.config.options) as CodetOptions;

  // Inputs: the problems, the recorded samples joined by exact prompt, the selected tasks.
  const problems = loadHumanEvalProblems(problemsFile);
  const testPrompts = new Map(loadHumanEvalProblems(testProblemsFile).map((p) => [p.taskId, p.prompt]));
  const solutions = joinSamplesByPrompt(solutionsFile, problemsFile);
  const tests = joinSamplesByPrompt(testsFile, testProblemsFile);
  const wanted = flags.tasks
    ? flags.tasks
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
    : undefined;
  const known = new Set(problems.map((p) => p.taskId));
  const unknown = (wanted ?? []).filter((id) => !known.has(id) || !solutions.has(id));
  if (unknown.length > 0) {
    process.stderr.write(
      `refinery bench codet: --tasks: no problem with solution samples for ${unknown.join(', ')} (in ${problemsFile} and ${solutionsFile})\n`,
    );
    return BAD_INPUT_EXIT_CODE;
  }
  const selected = new Set(wanted ?? problems.filter((p) => solutions.has(p.taskId)).map((p) => p.taskId));
  const tasks: CodetTask[] = problems
    .filter((p) => selected.has(p.taskId))
    .map((p) => ({
      taskId: p.taskId,
      prompt: p.prompt,
      entryPoint: p.entryPoint,
      ...(testPrompts.has(p.taskId) ? { testPrompt: testPrompts.get(p.taskId)! } : {}),
      groundTruth: { test: p.test },
      samples: { solutions: solutions.get(p.taskId)!.length, tests: tests.get(p.taskId)?.length ?? 0 },
    }));

  // One recorded model for both agents.
  const model = new RecordedSamplesModel(
    sampleSourceByAgent({
      coder: sampleSourceFromMap(solutionsFile, solutions),
      tester: sampleSourceFromMap(testsFile, tests),
    }),
  );
  const models = Object.fromEntries(Object.values(loaded.config.agents).map((agent) => [agent.model, model]));

  const outDir = flags.out ? fromCwd(flags.out) : undefined;
  if (outDir) {
    mkdirSync(join(outDir, 'trajectories'), { recursive: true });
    writeFileSync(join(outDir, 'results.jsonl'), '');
  }

  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  const progress = new BenchProgress(tasks.length);
  const errors: string[] = [];
  let figures: BenchTaskFigures[];
  try {
    // The spine's batch runner: the tasks in order, `concurrency` at a time, each result as it ends.
    const { results } = await runTaskPool({
      tasks,
      concurrency,
      run: async (task) => {
        const run = await runPipeline({
          configPath,
          set: flags.set,
          task,
          models,
          progress: silentProgress,
          pipelines,
          trajectoryPath: outDir ? join(outDir, 'trajectories', `${task.taskId.replaceAll('/', '_')}.jsonl`) : null,
        });
        const result = run.result as CodetResult | null;
        if (run.status === 'error' || result === null || result.evaluation === null) {
          errors.push(`${task.taskId}: ${run.summary}`);
        }
        if (outDir)
          appendFileSync(join(outDir, 'results.jsonl'), `${JSON.stringify(resultLine(task, run.status, result))}\n`);
        return taskFigures(result);
      },
      onDone: ({ result }) => progress.tick(result),
    });
    figures = results as BenchTaskFigures[];
  } finally {
    await lease.release();
    sharedCompileChecker().close();
    await closeSharedPythonWorkerPool();
  }
  progress.done();

  const summary = summarizeBench(figures, options.evaluate.k, options.evaluate.randomK);
  const wallSeconds = (performance.now() - started) / 1000;
  const load = { start: round2(loadAtStart), end: round2(loadavg()[0]!) };
  const report = {
    ...jsonReport(summary, wallSeconds, errors.length, options),
    load_average: load,
    ...(slowdown !== 1 ? { timing_what_if: slowdown } : {}),
  };
  if (outDir) writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(humanReport(summary, wallSeconds, options, load));
  for (const error of errors) process.stderr.write(`error: ${error}\n`);
  return errors.length > 0 ? 3 : 0;
}

function taskFigures(result: CodetResult | null): BenchTaskFigures {
  return {
    passAtK: result?.evaluation?.passAtK ?? {},
    randomPassAtK: result?.evaluation?.randomPassAtK ?? {},
    fallback: result?.fallback ?? false,
    hasTests: (result?.tests.distinct ?? 0) > 0,
    timeouts: result?.timeouts ?? { tests: 0, groundTruth: 0 },
  };
}

function resultLine(task: CodetTask, status: string, result: CodetResult | null) {
  return {
    taskId: task.taskId,
    status,
    fallback: result?.fallback ?? null,
    chosenPool: result?.topPool ? { ...result.topPool, correct: result.evaluation?.topPoolCorrect ?? null } : null,
    pick: result?.pick ?? null,
    pickPassed: result?.evaluation?.pickPassed ?? null,
    passAtK: result?.evaluation?.passAtK ?? null,
    randomPassAtK: result?.evaluation?.randomPassAtK ?? null,
    pools: result?.pools ?? null,
    tests: result?.tests ?? null,
    timeouts: result?.timeouts ?? null,
    groundTruth: result?.evaluation?.groundTruth ?? null,
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const round2 = (value: number) => Math.round(value * 100) / 100;

function jsonReport(summary: BenchSummary, wallSeconds: number, errors: number, options: CodetOptions) {
  const codet = Object.fromEntries(Object.entries(summary.codet).map(([k, v]) => [k, round(v)]));
  const random = Object.fromEntries(Object.entries(summary.random).map(([k, v]) => [`random_${k}`, round(v)]));
  return {
    ...codet,
    ...random,
    tasks: summary.tasks,
    fallback_tasks: summary.fallbackTasks,
    tasks_without_tests: summary.tasksWithoutTests,
    timeouts: { dual_tests: summary.timeouts.tests, ground_truth: summary.timeouts.groundTruth },
    errors,
    settings: {
      score: options.score,
      ties: options.ties,
      fallback: options.fallback,
      limitPerSample: options.tests.limitPerSample,
      perTestTimeoutSec: options.exec.perTestTimeoutSec,
    },
    wall_seconds: Math.round(wallSeconds * 10) / 10,
  };
}

function humanReport(
  summary: BenchSummary,
  wallSeconds: number,
  options: CodetOptions,
  load: { start: number; end: number },
): string {
  const row = (figures: Record<string, number>) =>
    Object.entries(figures)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join('  ');
  const t = summary.timeouts;
  return [
    `CodeT on ${summary.tasks} tasks (score ${options.score}, ties ${options.ties}, fallback ${options.fallback}, ` +
      `limit ${options.tests.limitPerSample}/sample, ${options.exec.perTestTimeoutSec} s per test)`,
    `  codet   ${row(summary.codet)}   [timeouts: ${t.tests} dual-execution tests, ${t.groundTruth} ground truth]`,
    `  random  ${row(summary.random)}   [timeouts: ${t.groundTruth} ground truth]`,
    `  ${summary.fallbackTasks} tasks fell back to random, ${summary.tasksWithoutTests} had no valid test`,
    `  wall ${wallSeconds.toFixed(1)} s (1-min load average ${load.start} at start, ${load.end} at end; 0.1 s timers are load-sensitive)`,
    '',
  ].join('\n');
}

/** A progress bar on stderr: one updating line on a TTY, a line every 10% otherwise. */
class BenchProgress {
  private done_ = 0;
  private sum = 0;
  private lastDecile = -1;
  private readonly started = performance.now();

  constructor(private readonly total: number) {}

  tick(figures: BenchTaskFigures): void {
    this.done_++;
    this.sum += figures.passAtK['pass@1'] ?? 0;
    const width = 30;
    const filled = Math.round((width * this.done_) / Math.max(this.total, 1));
    const line =
      `[codet] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done_}/${this.total} tasks, ` +
      `pass@1 so far ${((100 * this.sum) / this.done_).toFixed(2)}, ${((performance.now() - this.started) / 1000).toFixed(1)} s`;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    else {
      const decile = Math.floor((10 * this.done_) / Math.max(this.total, 1));
      if (decile !== this.lastDecile) process.stderr.write(`${line}\n`);
      this.lastDecile = decile;
    }
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}

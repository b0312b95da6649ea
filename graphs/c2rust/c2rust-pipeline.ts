import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import { TaskError } from '../../src/runtime/task-error.ts';
import { addUnsafeCensus, emptyUnsafeCensus } from '../../src/techniques/c2rust/unsafe-census.ts';
import { c2rustBenchCommand } from './c2rust-bench-command.ts';
import { c2rustExample } from './c2rust-example.ts';
import {
  type C2RustOptions,
  type C2RustResult,
  type C2RustTask,
  c2rustOptionsSchema,
  c2rustResultSchema,
  c2rustRunFlagsSchema,
  c2rustTaskSchema,
} from './c2rust-schemas.ts';
import type { C2RustStateValue } from './c2rust-state.ts';

/** RustMap-style C to Rust: units in call-graph order, compile repair, differential repair, unsafe measured. */
export const c2rustPipeline: PipelineDefinition<C2RustTask, C2RustOptions, C2RustResult, C2RustStateValue> = {
  name: 'c2rust',
  description:
    'RustMap-style C to Rust: gcc -E + tree-sitter-c analysis, SCC units callees first, cargo builds with compile ' +
    'repair, differential tests against the C binary with repair, unsafe code counted by category',
  optionsSchema: c2rustOptionsSchema,
  taskSchema: c2rustTaskSchema,
  resultSchema: c2rustResultSchema,
  agents: [{ agent: 'coder', prompts: ['system', 'user'] }],
  runFlags: c2rustRunFlagsSchema,
  async taskFromFlags(flags, cwd) {
    const { loadC2RustTaskFolder } = await import('../../src/datasets/load-c2rust-tasks.ts');
    const dir = resolve(cwd, String(flags.cDir));
    if (!existsSync(join(dir, 'main.c'))) throw new TaskError('--c-dir', '', `${dir} holds no main.c`);
    const folder = loadC2RustTaskFolder(dir);
    return c2rustTaskSchema.parse({
      id: folder.id,
      files: folder.files,
      tests: folder.tests,
      comparison: folder.comparison,
    });
  },
  async start(ctx) {
    const { buildC2RustGraph } = await import('./c2rust-graph.ts');
    const o = ctx.options;
    // A safety net only (the graph's own counters end every loop): analyze, check_c, then per unit the planner,
    // up to two questions (coder + planner_answer) and (coder, build, critic) per attempt; then tests and repairs.
    const units = 500;
    const perUnit = 1 + 2 * 2 + 3 * o.maxBuildAttempts;
    const stepLimit = 10 + units * perUnit + (o.maxTestRepairs + 1) * (2 + perUnit);
    return { graph: buildC2RustGraph(ctx), stepLimit };
  },
  async result(ctx, state) {
    const s = state ?? {};
    const pieces = s.pieces ?? [];
    let unsafe = null;
    if (s.crate) {
      const { censusOf } = await import('./rust-syntax.ts');
      unsafe = await censusOf(s.crate);
      for (const module of Object.values(s.modules ?? {})) unsafe = addUnsafeCensus(unsafe, await censusOf(module));
    }
    const failure = s.lastTests?.find((t) => !t.passed);
    const tests = s.lastTests
      ? { passed: s.lastTests.filter((t) => t.passed).length, total: s.lastTests.length }
      : null;
    return {
      taskId: ctx.task.id,
      outcome: s.outcome ?? null,
      message: s.message ?? '',
      units: pieces
        .filter((p) => p.unit > 0)
        .map((p) => ({ index: p.unit, functions: p.functions, attempts: p.attempts, built: p.built })),
      cOracle: s.oracle ? s.oracle.status : s.analysis?.status === 'preprocess-failed' ? 'unavailable' : null,
      rustBuilds: s.crate ? (s.lastBuild?.ok ?? null) : s.firstBuild === false ? false : null,
      firstBuild: s.firstBuild ?? null,
      tests,
      firstTestsEqual: s.firstTestsEqual ?? null,
      firstFailure: failure
        ? { ending: failure.ending ?? null, expected: clip(failure.expected), actual: clip(failure.actual) }
        : null,
      unsafe: unsafe ?? (s.crate ? emptyUnsafeCensus() : null),
      modelCalls: s.modelCalls ?? 0,
      repairs: { build: s.buildRepairs ?? 0, test: s.testRepairs ?? 0 },
      timing: { buildMs: s.buildMs ?? 0, runMs: s.runMs ?? 0 },
      lineRatio: unsafe ? round(unsafe.lines / Math.max(1, nonBlankLines(ctx.task.files)), 3) : null,
      crate: s.crate ?? null,
    };
  },
  verdict: (_ctx, result) => ({
    status: result.outcome === 'passed' ? 'passed' : result.outcome === 'no-recorded-reply' ? 'diverged' : 'failed',
    summary: progressLine(result),
  }),
  progressLine,
  commands: [c2rustBenchCommand],
  example: c2rustExample,
};

function progressLine(result: C2RustResult): string {
  const units = result.units.length;
  const built = result.units.filter((u) => u.built).length;
  const tests = result.tests ? `, tests ${result.tests.passed}/${result.tests.total}` : '';
  return `${result.taskId}: ${result.outcome ?? 'running'} (${built}/${units} unit(s) built${tests}, ${result.modelCalls} model call(s))${result.message ? `: ${result.message}` : ''}`;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function nonBlankLines(files: Record<string, string>): number {
  return Object.entries(files)
    .filter(([name]) => /\.[ch]$/.test(name))
    .reduce((sum, [, text]) => sum + text.split('\n').filter((line) => line.trim() !== '').length, 0);
}

const clip = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}...` : text);

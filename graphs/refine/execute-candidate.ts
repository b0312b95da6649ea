import { buildTestProgram, type ProgramTest } from '../../src/execution/harness/build-test-program.ts';
import {
  countTests,
  parseTestRunReport,
  programTestId,
  type TestRunReport,
} from '../../src/execution/harness/test-run-report.ts';
import { isAccepted } from './candidate-acceptance.ts';
import type { RefineContext } from './refine-context.ts';
import type { RefineState, RefineUpdate } from './refine-state.ts';

/** Runs the candidate against the visible tests and the tester's asserts in one program. */
export async function executeCandidate(ctx: RefineContext, state: RefineState): Promise<RefineUpdate> {
  const { task, options } = ctx;
  const code = state.code!;
  const tests: ProgramTest[] = [
    ...task.visibleTests.map((source, i) => ({ id: programTestId('visible', i + 1), source })),
    ...(state.testerTests ?? []).map((source, i) => ({ id: programTestId('tester', i + 1), source })),
  ];
  const report = await runTests(ctx, code, tests);
  const passed = isAccepted(report, task.visibleTests.length, options);
  const visible = countTests(report, 'visible', task.visibleTests.length);
  const testerCount = state.testerTests?.length ?? 0;
  ctx.progress.update({ lastVerdict: passed ? 'passed' : `${visible.passed}/${visible.total} visible` });
  return {
    report,
    passed,
    attempts: [
      {
        attempt: state.attempt,
        code,
        verdict: report.verdict,
        visible,
        tester: testerCount > 0 ? countTests(report, 'tester', testerCount) : null,
        passed,
      },
    ],
  };
}

export async function runTests(ctx: RefineContext, code: string, tests: ProgramTest[]): Promise<TestRunReport> {
  const { prompt, entryPoint } = ctx.task;
  const source = buildTestProgram({ prompt, code, entryPoint, tests, testTimeoutSec: ctx.options.testTimeoutSec });
  const result = await ctx.executor.run({ language: 'python', source }, { signal: ctx.signal });
  return parseTestRunReport(result, tests);
}

import { countTests, programTestId } from '../../src/execution/harness/test-run-report.ts';
import { runTests } from './execute-candidate.ts';
import type { RefineContext } from './refine-context.ts';
import type { RefineState, RefineUpdate } from './refine-state.ts';

/** Runs the task's hidden tests once on the accepted candidate; reported only, never shown to an agent. */
export async function runHiddenTests(ctx: RefineContext, state: RefineState): Promise<RefineUpdate> {
  const tests = ctx.task.hiddenTests.map((source, i) => ({ id: programTestId('hidden', i + 1), source }));
  const report = await runTests(ctx, state.code!, tests);
  return { hidden: countTests(report, 'hidden', tests.length) };
}

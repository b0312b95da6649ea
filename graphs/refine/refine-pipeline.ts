import { GraphRecursionError } from '@langchain/langgraph';
import { BudgetExhaustedError } from '../../src/budget/budget-exhausted-error.ts';
import type { PipelineDefinition, PipelineOutcome } from '../../src/runtime/pipeline-definition.ts';
import { buildRefineGraph } from './build-refine-graph.ts';
import type { RefineContext } from './refine-context.ts';
import { refineOptionsSchema, type RefineOptions } from './refine-options-schema.ts';
import type { AttemptRecord, RefineState } from './refine-state.ts';
import { refineTaskSchema, type RefineTask } from './refine-task-schema.ts';
import { countTests, type TestCounts } from '../../src/execution/harness/test-run-report.ts';

/** Graph steps per coder iteration (coder, execute, critic) plus the one-off nodes, with room to spare. */
const STEPS_PER_ITERATION = 3;
const ONE_OFF_STEPS = 8;
const STEPS_WITHOUT_ITERATION_CAP = 30_000;

export interface RefineResult {
  taskId: string;
  passed: boolean;
  /** The accepted candidate; otherwise the attempt that passed most visible tests (the latest on ties). */
  code: string | null;
  attempt: number | null;
  passedTests: string[];
  failedTests: string[];
  visible: TestCounts;
  tester: (TestCounts & { tests: string[] }) | null;
  hidden: TestCounts | null;
  iterations: number;
  attempts: Omit<AttemptRecord, 'code'>[];
  feedback: string | null;
  stopReason: string | null;
}

export const refinePipeline: PipelineDefinition<RefineTask, RefineOptions> = {
  name: 'refine',
  description: 'planner → coder → tester → execute → critic loop on one Python function until its visible tests pass',
  optionsSchema: refineOptionsSchema,
  taskSchema: refineTaskSchema,
  async run(ctx) {
    const graph = buildRefineGraph(ctx);
    const cap = ctx.budget.limits.iterations;
    const recursionLimit = cap === undefined ? STEPS_WITHOUT_ITERATION_CAP : cap * STEPS_PER_ITERATION + ONE_OFF_STEPS;
    let state: RefineState | undefined;
    try {
      for await (const values of await graph.stream({}, { streamMode: 'values', recursionLimit, signal: ctx.signal }))
        state = values as RefineState;
    } catch (error) {
      if (error instanceof BudgetExhaustedError) {
        const result = resultOf(ctx, state);
        return { status: `exhausted:${error.budget}`, result, summary: `${error.message}; ${progressLine(result)}` };
      }
      if (error instanceof GraphRecursionError) {
        const result = { ...resultOf(ctx, state), stopReason: `graph step limit ${recursionLimit} reached` };
        return { status: 'failed', result, summary: result.stopReason };
      }
      throw error;
    }
    return outcomeOf(ctx, state);
  },
};

function outcomeOf(ctx: RefineContext, state: RefineState | undefined): PipelineOutcome {
  const result = resultOf(ctx, state);
  if (result.passed) {
    const hidden = result.hidden ? `, hidden tests ${result.hidden.passed}/${result.hidden.total}` : '';
    return { status: 'passed', result, summary: `${ctx.task.id}: passed on attempt ${result.attempt}${hidden}` };
  }
  return { status: 'failed', result, summary: `${ctx.task.id}: ${result.stopReason ?? 'ended without passing'}; ${progressLine(result)}` };
}

function progressLine(result: RefineResult): string {
  return `best attempt passed ${result.visible.passed}/${result.visible.total} visible tests after ${result.iterations} iteration(s)`;
}

function resultOf(ctx: RefineContext, state: RefineState | undefined): RefineResult {
  const { task } = ctx;
  const attempts = state?.attempts ?? [];
  const best = state?.passed ? attempts.at(-1) : bestAttempt(attempts);
  const bestReport = best && best.attempt === state?.attempt ? state.report : null;
  const visibleOutcomes = bestReport?.tests.filter((t) => t.origin === 'visible') ?? [];
  const testerTests = state?.testerTests ?? null;
  return {
    taskId: task.id,
    passed: state?.passed ?? false,
    code: best?.code ?? null,
    attempt: best?.attempt ?? null,
    passedTests: visibleOutcomes.filter((t) => t.status === 'passed').map((t) => t.source),
    failedTests: bestReport ? visibleOutcomes.filter((t) => t.status !== 'passed').map((t) => t.source) : [],
    visible: best?.visible ?? { passed: 0, total: task.visibleTests.length },
    tester: testerTests && bestReport ? { ...countTests(bestReport, 'tester', testerTests.length), tests: testerTests } : null,
    hidden: state?.hidden ?? null,
    iterations: ctx.budget.totals().iterations,
    attempts: attempts.map(({ code: _code, ...rest }) => rest),
    feedback: state?.feedback ?? null,
    stopReason: state?.stopReason ?? null,
  };
}

function bestAttempt(attempts: AttemptRecord[]): AttemptRecord | undefined {
  let best: AttemptRecord | undefined;
  for (const a of attempts) if (a.code !== null && (!best || a.visible.passed >= best.visible.passed)) best = a;
  return best;
}

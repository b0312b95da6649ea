import { z } from 'zod';
import { countTests } from '../../src/execution/harness/test-run-report.ts';
import type { PipelineDefinition, PipelineVerdict, RunEnding } from '../../src/runtime/pipeline-definition.ts';
import type { RefineContext } from './refine-context.ts';
import { refineExample } from './refine-example.ts';
import { type RefineOptions, refineOptionsSchema } from './refine-options-schema.ts';
import type { AttemptRecord, RefineState } from './refine-state.ts';
import { type RefineTask, refineTaskSchema } from './refine-task-schema.ts';

/** Graph steps per coder iteration (coder, execute, critic) plus the one-off nodes, with room to spare. */
const STEPS_PER_ITERATION = 3;
const ONE_OFF_STEPS = 8;
const STEPS_WITHOUT_ITERATION_CAP = 30_000;

const testCountsSchema = z.object({ passed: z.number().int(), total: z.number().int() });

export const refineResultSchema = z.object({
  taskId: z.string(),
  passed: z.boolean(),
  /** The accepted candidate; otherwise the attempt that passed most visible tests (the latest on ties). */
  code: z.string().nullable(),
  attempt: z.number().int().nullable(),
  passedTests: z.array(z.string()),
  failedTests: z.array(z.string()),
  visible: testCountsSchema,
  tester: testCountsSchema.extend({ tests: z.array(z.string()) }).nullable(),
  hidden: testCountsSchema.nullable(),
  iterations: z.number().int(),
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      verdict: z.string(),
      visible: testCountsSchema,
      tester: testCountsSchema.nullable(),
      passed: z.boolean(),
    }),
  ),
  feedback: z.string().nullable(),
  /** Why the loop stopped without passing: the graph's give-up rule, or the spine's step limit. */
  stopReason: z.string().nullable(),
});

export type RefineResult = z.infer<typeof refineResultSchema>;

export const refinePipeline: PipelineDefinition<RefineTask, RefineOptions, RefineResult, RefineState> = {
  name: 'refine',
  description: 'planner → coder → tester → execute → critic loop on one Python function until its visible tests pass',
  optionsSchema: refineOptionsSchema,
  taskSchema: refineTaskSchema,
  resultSchema: refineResultSchema,
  agents: [
    { agent: 'planner', prompts: ['user'], when: (options) => options.planner },
    { agent: 'coder', prompts: ['user', 'repair'] },
    { agent: 'tester', prompts: ['user'], when: (options) => options.tester && options.maxTesterTests > 0 },
    { agent: 'critic', prompts: ['user'], when: (options) => options.critic === 'model' },
  ],
  async start(ctx) {
    // Loaded when a run starts: listing the pipelines (`refinery --help`) does not load LangGraph.
    const { buildRefineGraph } = await import('./build-refine-graph.ts');
    const cap = ctx.budget.limits.iterations;
    return {
      graph: buildRefineGraph(ctx),
      stepLimit: cap === undefined ? STEPS_WITHOUT_ITERATION_CAP : cap * STEPS_PER_ITERATION + ONE_OFF_STEPS,
    };
  },
  result: (ctx, state, ending) => resultOf(ctx, state, ending),
  verdict: verdictOf,
  progressLine,
  example: refineExample,
};

function verdictOf(ctx: RefineContext, result: RefineResult): PipelineVerdict {
  if (result.passed) {
    const hidden = result.hidden ? `, hidden tests ${result.hidden.passed}/${result.hidden.total}` : '';
    return { status: 'passed', summary: `${ctx.task.id}: passed on attempt ${result.attempt}${hidden}` };
  }
  return {
    status: 'failed',
    summary: `${ctx.task.id}: ${result.stopReason ?? 'ended without passing'}; ${progressLine(result)}`,
  };
}

function progressLine(result: RefineResult): string {
  return `best attempt passed ${result.visible.passed}/${result.visible.total} visible tests after ${result.iterations} iteration(s)`;
}

function resultOf(ctx: RefineContext, state: Partial<RefineState> | undefined, ending: RunEnding): RefineResult {
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
    tester:
      testerTests && bestReport
        ? { ...countTests(bestReport, 'tester', testerTests.length), tests: testerTests }
        : null,
    hidden: state?.hidden ?? null,
    iterations: ctx.budget.totals().iterations,
    attempts: attempts.map(({ code: _code, ...rest }) => rest),
    feedback: state?.feedback ?? null,
    stopReason: state?.stopReason ?? (ending.kind === 'step-limit' ? ending.message : null),
  };
}

function bestAttempt(attempts: AttemptRecord[]): AttemptRecord | undefined {
  let best: AttemptRecord | undefined;
  for (const a of attempts) if (a.code !== null && (!best || a.visible.passed >= best.visible.passed)) best = a;
  return best;
}

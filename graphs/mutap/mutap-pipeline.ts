import type { MatrixEngineLease } from '../../src/execution/matrix/matrix-engine-lease.ts';
import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { mutapExample } from './mutap-example.ts';
import type { MutapStateValue } from './mutap-graph.ts';
import { type MutapOptions, mutapOptionsSchema } from './mutap-options.ts';
import { type MutapResult, mutapResultSchema } from './mutap-result.ts';
import { type MutapTask, mutapTaskSchema } from './mutap-task.ts';

export interface MutapPipelineDeps {
  /** Where the program runs go. Default: the shared batch engine. */
  acquireEngine?: (ctx: RunContext<MutapTask, MutapOptions>) => Promise<MatrixEngineLease> | MatrixEngineLease;
}

export function createMutapPipeline(
  deps: MutapPipelineDeps = {},
): PipelineDefinition<MutapTask, MutapOptions, MutapResult, MutapStateValue> {
  return {
    name: 'mutap',
    description:
      'MuTAP mutation-guided test generation: the tester writes a unit test, the syntax and oracle fixes make it hold on ' +
      'the PUT, mutants score it, and each surviving mutant goes back to the tester (techniques §3).',
    optionsSchema: mutapOptionsSchema,
    taskSchema: mutapTaskSchema,
    resultSchema: mutapResultSchema,
    agents: [{ agent: 'tester', prompts: ['user', 'initial', 'augment', 'repair'] }],
    async start(ctx) {
      const acquire =
        deps.acquireEngine ??
        (await import('../../src/execution/matrix/matrix-engine-lease.ts')).acquireSharedMatrixEngine;
      const lease = await acquire(ctx);
      const { buildMutapGraph } = await import('./mutap-graph.ts');
      // tester, syntax fix, oracle fix, mutate, score, then augment + merge + score per round, minimise.
      const stepLimit = 8 + 3 * ctx.options.rounds;
      return { graph: buildMutapGraph(ctx, lease.engine), stepLimit, release: () => lease.release() };
    },
    result: (ctx, state) => summarize(ctx.task, state ?? {}),
    verdict(_ctx, result) {
      const last = result.scores.at(-1);
      const passed = last !== undefined && last.suiteOnPut === 'pass' && last.survivors.length === 0;
      return { status: passed ? 'passed' : 'failed', summary: oneLine(result) };
    },
    progressLine: oneLine,
    example: mutapExample,
  };
}

function summarize(task: MutapTask, state: Partial<MutapStateValue>): MutapResult {
  return {
    taskId: task.id,
    problem: state.problem ?? null,
    syntaxFix: state.syntaxFix ?? null,
    oracleFix: state.oracleFix ?? null,
    mutants: state.mutantSource && state.mutants ? { source: state.mutantSource, count: state.mutants.length } : null,
    scores: state.scores ?? [],
    augmentationCalls: state.augmentationCalls ?? 0,
    minimised: state.minimised ?? null,
  };
}

const percent = (value: number | null) => (value === null ? '-' : `${(100 * value).toFixed(1)}%`);

function oneLine(result: MutapResult): string {
  if (result.scores.length === 0) return `${result.taskId}: ${result.problem ?? 'no suite scored yet'}`;
  const first = result.scores[0]!;
  const last = result.scores.at(-1)!;
  const c = last.counts;
  const aut = result.scores.length > 1 ? `, AUT MS ${percent(last.ms)} after ${result.scores.length - 1} round(s)` : '';
  return (
    `${result.taskId}: IUT MS ${percent(first.ms)}${aut} (K ${c.killed} S ${c.survived} P ${c.problematic} T ${c.timeout}; ` +
    `suite on PUT: ${last.suiteOnPut}; ${result.augmentationCalls} augmentation call(s))`
  );
}

import type { MatrixEngineLease } from '../../src/execution/matrix/matrix-engine-lease.ts';
import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import { parseLetters } from '../../src/techniques/mokav/config-letters.ts';
import { mokavExample } from './mokav-example.ts';
import type { MokavStateValue } from './mokav-graph.ts';
import { type MokavOptions, mokavOptionsSchema } from './mokav-options.ts';
import { type MokavResult, mokavResultSchema } from './mokav-result.ts';
import { type MokavTask, mokavTaskSchema } from './mokav-task.ts';

/** LangGraph and the graph load on the first run's start (not for `--help`), once per process. */
let graphModule: Promise<typeof import('./mokav-graph.ts')> | undefined;

export interface MokavPipelineDeps {
  /** Where P and Q run. Default: the shared batch engine (warm workers, content-hash cache, sandbox). */
  acquireEngine?: (ctx: RunContext<MokavTask, MokavOptions>) => Promise<MatrixEngineLease> | MatrixEngineLease;
}

export function createMokavPipeline(
  deps: MokavPipelineDeps = {},
): PipelineDefinition<MokavTask, MokavOptions, MokavResult, MokavStateValue> {
  return {
    name: 'mokav',
    description:
      'Mokav difference-exposing tests: the tester proposes inputs, P and Q run on each, the critic feeds back ' +
      'until an input makes both return different values (a DET) or R rounds pass.',
    optionsSchema: mokavOptionsSchema,
    taskSchema: mokavTaskSchema,
    resultSchema: mokavResultSchema,
    agents: [
      { agent: 'tester', prompts: ['system', 'user', 'initial', 'feedback'] },
      {
        agent: 'describer',
        prompts: ['user'],
        when: (options) => {
          const letters = parseLetters(options.letters);
          return letters.ok && letters.letters.description;
        },
      },
    ],
    async start(ctx) {
      const acquire =
        deps.acquireEngine ??
        (await import('../../src/execution/matrix/matrix-engine-lease.ts')).acquireSharedMatrixEngine;
      const lease = await acquire(ctx);
      graphModule ??= import('./mokav-graph.ts');
      const { buildMokavGraph } = await graphModule;
      const rounds = Math.min(ctx.task.rounds ?? ctx.options.rounds, ctx.options.rounds);
      return {
        graph: buildMokavGraph(ctx, lease.engine),
        stepLimit: 4 * rounds + 6,
        release: () => lease.release(),
      };
    },
    result: (ctx, state) => summarize(ctx.task, state ?? {}),
    verdict: (_ctx, result) => ({ status: result.det ? 'passed' : 'failed', summary: oneLine(result) }),
    progressLine: oneLine,
    example: mokavExample,
  };
}

function summarize(task: MokavTask, state: Partial<MokavStateValue>): MokavResult {
  const candidates = state.candidates ?? [];
  const first = candidates.find((c) => c.verdict === 'DET');
  const verdicts: Record<string, number> = {};
  for (const c of candidates) if (c.verdict) verdicts[c.verdict] = (verdicts[c.verdict] ?? 0) + 1;
  return {
    id: task.id,
    det:
      first && first.input !== null
        ? {
            round: first.round + 1,
            sample: first.sample,
            input: first.input,
            ...(first.patchedOutput ? { patchedOutput: first.patchedOutput } : {}),
            ...(first.originalOutput ? { originalOutput: first.originalOutput } : {}),
          }
        : null,
    rounds: state.round ?? 0,
    verdicts,
    dropped: candidates.filter((c) => c.input === null).length,
    candidates,
    runs: state.runs ?? { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 },
  };
}

function oneLine(result: MokavResult): string {
  return result.det
    ? `${result.id}: DET in round ${result.det.round} (patched ${result.det.patchedOutput?.str ?? '?'}, original ${result.det.originalOutput?.str ?? '?'})`
    : `${result.id}: no DET after ${result.rounds} round(s), ${result.candidates.length} sample(s)`;
}

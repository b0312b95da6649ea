import type { PipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import { bestOfNExample } from './best-of-n-example.ts';
import type { BestOfNStateValue } from './best-of-n-graph.ts';
import {
  type BestOfNOptions,
  type BestOfNResult,
  type BestOfNTask,
  bestOfNOptionsSchema,
  bestOfNResultSchema,
  bestOfNTaskSchema,
} from './best-of-n-schemas.ts';

/** Sample up to n candidates, one at a time, until one passes every visible test: the baseline refine improves on. */
export const bestOfNPipeline: PipelineDefinition<BestOfNTask, BestOfNOptions, BestOfNResult, BestOfNStateValue> = {
  name: 'best-of-n',
  description: 'sample up to n candidates, one call each, until one passes every visible test',
  optionsSchema: bestOfNOptionsSchema,
  taskSchema: bestOfNTaskSchema,
  resultSchema: bestOfNResultSchema,
  agents: [{ agent: 'coder', prompts: ['system', 'user'] }],
  async start(ctx) {
    const { buildBestOfNGraph } = await import('./best-of-n-graph.ts');
    return { graph: buildBestOfNGraph(ctx), stepLimit: 2 * ctx.options.samples + 2 };
  },
  result(ctx, state) {
    const candidates = state?.candidates ?? [];
    return {
      taskId: ctx.task.id,
      pick: candidates.find((c) => c.code !== null && c.passed === c.total) ?? null,
      candidates,
    };
  },
  verdict: (_ctx, result) => ({ status: result.pick ? 'passed' : 'failed', summary: progressLine(result) }),
  progressLine,
  example: bestOfNExample,
};

function progressLine(result: BestOfNResult): string {
  const best = Math.max(0, ...result.candidates.map((c) => c.passed));
  const total = result.candidates[0]?.total ?? 0;
  return result.pick
    ? `${result.taskId}: sample ${result.pick.index} passes every visible test`
    : `${result.taskId}: none of ${result.candidates.length} sample(s) passes (best ${best}/${total} visible tests)`;
}

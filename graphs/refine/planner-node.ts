import { parsePlanReply } from '../../agents/refine-planner/parse-plan-reply.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import type { RefineContext } from './refine-context.ts';
import type { RefineState, RefineUpdate } from './refine-state.ts';

/** Writes a short plan from the task, once, before the first coder call. */
export async function plannerNode(ctx: RefineContext, _state: RefineState): Promise<RefineUpdate> {
  const reply = await callAgent(ctx, {
    agent: 'planner',
    vars: {
      prompt: ctx.task.prompt.trimEnd(),
      entry_point: ctx.task.entryPoint,
      visible_tests: ctx.task.visibleTests.join('\n'),
    },
    recordKey: ctx.task.id,
  });
  return { plan: parsePlanReply(reply.texts[0] ?? '') };
}

import { buildFeedback } from '../../agents/refine-critic/build-feedback.ts';
import { parseCriticReply } from '../../agents/refine-critic/parse-critic-reply.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { giveUpReason } from './give-up-reason.ts';
import type { RefineContext } from './refine-context.ts';
import type { RefineState, RefineUpdate } from './refine-state.ts';

/**
 * Turns the last attempt's outcome into feedback for the coder. The loop's own rule (`giveUpReason`) decides
 * whether it stops (`stopReason`, ending in status `failed`). With `options.critic: model` the model's analysis
 * is appended to the deterministic facts; that call is skipped when the loop stops or no iteration is left.
 */
export async function criticNode(ctx: RefineContext, state: RefineState): Promise<RefineUpdate> {
  const { task, options } = ctx;
  const facts = buildFeedback({
    entryPoint: task.entryPoint,
    parseError: state.parseError,
    report: state.report,
    visibleTotal: task.visibleTests.length,
    testerTestsBlock: options.testerTestsBlock,
  });
  const stopReason = giveUpReason(ctx, state);
  let feedback = facts;
  if (options.critic === 'model' && stopReason === null && state.code !== null && iterationsLeft(ctx)) {
    const reply = await callAgent(ctx, {
      agent: 'critic',
      vars: {
        prompt: task.prompt.trimEnd(),
        entry_point: task.entryPoint,
        attempt: String(state.attempt),
        code: state.code,
        facts,
      },
      recordKey: task.id,
    });
    const analysis = parseCriticReply(reply.texts[0] ?? '');
    if (analysis !== '') feedback = `${facts}\n\nCritic's analysis:\n${analysis}`;
  }
  return { feedback, stopReason };
}

function iterationsLeft(ctx: RefineContext): boolean {
  const cap = ctx.budget.limits.iterations;
  return cap === undefined || ctx.budget.totals().iterations < cap;
}

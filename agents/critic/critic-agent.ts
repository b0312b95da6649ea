import { callAgent } from '../../src/runtime/call-agent.ts';
import type { RefineContext } from '../../graphs/refine/refine-context.ts';
import type { RefineState, RefineUpdate } from '../../graphs/refine/refine-state.ts';
import { buildFeedback } from './build-feedback.ts';
import { parseCriticReply } from './parse-critic-reply.ts';

/**
 * Turns the last attempt's outcome into feedback for the coder, and decides whether the loop gives up
 * (`stopReason`, ending in status `failed`). With `options.critic: model` the model's analysis is appended to
 * the deterministic facts; that call is skipped when no iteration is left to use it.
 */
export async function criticAgent(ctx: RefineContext, state: RefineState): Promise<RefineUpdate> {
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
      vars: { prompt: task.prompt.trimEnd(), entry_point: task.entryPoint, attempt: String(state.attempt), code: state.code, facts },
      recordKey: task.id,
    });
    const analysis = parseCriticReply(reply.texts[0] ?? '');
    if (analysis !== '') feedback = `${facts}\n\nCritic's analysis:\n${analysis}`;
  }
  return { feedback, stopReason };
}

function giveUpReason(ctx: RefineContext, state: RefineState): string | null {
  const { maxParseFailures, maxRepeatedCandidates } = ctx.options;
  if (state.consecutiveParseFailures >= maxParseFailures)
    return `the coder gave no usable code ${state.consecutiveParseFailures} times in a row (options.maxParseFailures: ${maxParseFailures})`;
  if (state.repeatedCandidates >= maxRepeatedCandidates)
    return `the coder resubmitted already-failed code ${state.repeatedCandidates} times (options.maxRepeatedCandidates: ${maxRepeatedCandidates})`;
  return null;
}

function iterationsLeft(ctx: RefineContext): boolean {
  const cap = ctx.budget.limits.iterations;
  return cap === undefined || ctx.budget.totals().iterations < cap;
}

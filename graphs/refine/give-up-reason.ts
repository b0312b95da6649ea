import type { RefineContext } from './refine-context.ts';
import type { RefineState } from './refine-state.ts';

/**
 * Loop control of the refine graph: the reason to stop with `failed` (no budget ran out), or null to go on.
 * The coder gave no usable code too often in a row, or keeps resubmitting code that already failed.
 */
export function giveUpReason(ctx: RefineContext, state: RefineState): string | null {
  const { maxParseFailures, maxRepeatedCandidates } = ctx.options;
  if (state.consecutiveParseFailures >= maxParseFailures)
    return `the coder gave no usable code ${state.consecutiveParseFailures} times in a row (options.maxParseFailures: ${maxParseFailures})`;
  if (state.repeatedCandidates >= maxRepeatedCandidates)
    return `the coder resubmitted already-failed code ${state.repeatedCandidates} times (options.maxRepeatedCandidates: ${maxRepeatedCandidates})`;
  return null;
}

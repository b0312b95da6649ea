import { parseCodeReply } from '../../agents/refine-coder/parse-code-reply.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { PromptError } from '../../src/runtime/prompt-error.ts';
import { loadPromptTemplate, renderPrompt } from '../../src/runtime/prompt-template.ts';
import { fenceText } from '../../src/text/markdown-fences.ts';
import { failedBefore } from './failed-candidates.ts';
import type { RefineContext } from './refine-context.ts';
import type { AttemptRecord, RefineState, RefineUpdate } from './refine-state.ts';

/**
 * One coder iteration: starts a budget iteration (throws `iterations` when the cap is reached), asks for code
 * (with the previous attempt and the critic's feedback after the first one) and parses the reply.
 */
export async function coderNode(ctx: RefineContext, state: RefineState): Promise<RefineUpdate> {
  const attempt = ctx.budget.startIteration();
  ctx.progress.update({ iteration: attempt });
  const { task } = ctx;
  const reply = await callAgent(ctx, {
    agent: 'coder',
    vars: {
      prompt: task.prompt.trimEnd(),
      entry_point: task.entryPoint,
      visible_tests: task.visibleTests.join('\n'),
      plan: state.plan === '' ? '(none)' : state.plan,
      repair: state.attempt === 0 ? '' : renderRepair(ctx, state),
    },
    recordKey: task.id,
  });
  const parsed = parseCodeReply(reply.texts[0] ?? '', task.entryPoint);
  if (!parsed.ok) {
    const record: AttemptRecord = {
      attempt,
      code: null,
      verdict: 'unparsed',
      visible: { passed: 0, total: task.visibleTests.length },
      tester: null,
      passed: false,
    };
    return {
      attempt,
      code: null,
      parseError: parsed.reason,
      report: null,
      consecutiveParseFailures: state.consecutiveParseFailures + 1,
      attempts: [record],
    };
  }
  const repeated = failedBefore(ctx, state.attempts, parsed.code);
  return {
    attempt,
    code: parsed.code,
    parseError: null,
    consecutiveParseFailures: 0,
    repeatedCandidates: state.repeatedCandidates + (repeated ? 1 : 0),
  };
}

function renderRepair(ctx: RefineContext, state: RefineState): string {
  const file = ctx.config.agents.coder?.prompts?.repair;
  if (!file) throw new PromptError('config', 'agents.coder.prompts.repair is not configured');
  return renderPrompt(loadPromptTemplate(file, ctx.baseDir), {
    previous_attempt: String(state.attempt),
    previous_code: state.code === null ? '(your reply contained no usable code)' : fenceText(state.code, 'python'),
    feedback: state.feedback ?? '(none)',
  });
}

import { parseTestReply } from '../../agents/refine-tester/parse-test-reply.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import type { RefineContext } from './refine-context.ts';
import type { RefineState, RefineUpdate } from './refine-state.ts';

/** Writes extra asserts once; they are validated here and run with the visible tests from then on. */
export async function testerNode(ctx: RefineContext, _state: RefineState): Promise<RefineUpdate> {
  const { task, options } = ctx;
  const reply = await callAgent(ctx, {
    agent: 'tester',
    vars: {
      prompt: task.prompt.trimEnd(),
      entry_point: task.entryPoint,
      visible_tests: task.visibleTests.join('\n'),
      max_tests: String(options.maxTesterTests),
    },
    recordKey: task.id,
  });
  const parsed = parseTestReply(reply.texts[0] ?? '', {
    entryPoint: task.entryPoint,
    visibleTests: task.visibleTests,
    max: options.maxTesterTests,
  });
  if (parsed.rejected.length > 0)
    ctx.trajectory.write({
      type: 'note',
      node: ctx.currentNode.name,
      message: `tester: ${parsed.rejected.length} assert(s) rejected`,
      data: parsed.rejected,
    });
  return { testerTests: parsed.tests };
}

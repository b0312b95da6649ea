import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { parseCodeReply } from '../../agents/refine-coder/parse-code-reply.ts';
import { buildTestProgram } from '../../src/execution/harness/build-test-program.ts';
import { countTests, parseTestRunReport, programTestId } from '../../src/execution/harness/test-run-report.ts';
import { callAgent } from '../../src/runtime/call-agent.ts';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import type { BestOfNCandidate, BestOfNOptions, BestOfNTask } from './best-of-n-schemas.ts';

export const BestOfNState = Annotation.Root({
  /** The latest sample: its code, or null when the reply held no Python code block. */
  code: Annotation<string | null>({ reducer: (_old, next) => next, default: () => null }),
  /** Every tested sample so far, in order. */
  candidates: Annotation<BestOfNCandidate[]>({ reducer: (old, next) => [...old, ...next], default: () => [] }),
});
export type BestOfNStateValue = typeof BestOfNState.State;

/** coder (one sample) → test (against the visible tests) → coder ... until one passes or n were tried. */
export function buildBestOfNGraph(ctx: RunContext<BestOfNTask, BestOfNOptions>) {
  const { task, options } = ctx;
  const tests = task.visibleTests.map((source, i) => ({ id: programTestId('visible', i + 1), source }));

  const coder = instrumentNode(ctx, 'coder', async () => {
    ctx.budget.startIteration();
    const reply = await callAgent(ctx, {
      agent: 'coder',
      vars: {
        prompt: task.prompt.trimEnd(),
        entry_point: task.entryPoint,
        visible_tests: task.visibleTests.join('\n'),
        plan: '(none)',
        repair: '',
      },
      recordKey: task.id,
    });
    const parsed = parseCodeReply(reply.texts[0] ?? '', task.entryPoint);
    return { code: parsed.ok ? parsed.code : null };
  });

  const test = instrumentNode(ctx, 'test', async (state: BestOfNStateValue) => {
    const index = state.candidates.length + 1;
    if (state.code === null) return { candidates: [{ index, code: null, passed: 0, total: tests.length }] };
    const source = buildTestProgram({
      prompt: task.prompt,
      code: state.code,
      entryPoint: task.entryPoint,
      tests,
      testTimeoutSec: options.testTimeoutSec,
    });
    const result = await ctx.executor.run({ language: 'python', source }, { signal: ctx.signal });
    const counts = countTests(parseTestRunReport(result, tests), 'visible', tests.length);
    ctx.progress.update({ lastVerdict: `sample ${index}: ${counts.passed}/${counts.total}` });
    return { candidates: [{ index, code: state.code, ...counts }] };
  });

  const next = (state: BestOfNStateValue) => {
    const last = state.candidates.at(-1);
    return (last && last.code !== null && last.passed === last.total) || state.candidates.length >= options.samples
      ? END
      : 'coder';
  };

  return new StateGraph(BestOfNState)
    .addNode('coder', coder)
    .addNode('test', test)
    .addEdge(START, 'coder')
    .addEdge('coder', 'test')
    .addConditionalEdges('test', next, ['coder', END])
    .compile();
}

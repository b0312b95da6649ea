import { END, START, StateGraph } from '@langchain/langgraph';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import { coderNode } from './coder-node.ts';
import { criticNode } from './critic-node.ts';
import { executeCandidate } from './execute-candidate.ts';
import { plannerNode } from './planner-node.ts';
import type { RefineContext } from './refine-context.ts';
import { type RefineState, RefineStateAnnotation } from './refine-state.ts';
import { runHiddenTests } from './run-hidden-tests.ts';
import { testerNode } from './tester-node.ts';

/**
 * planner → coder → tester (once) → execute → critic → coder ... until the candidate passes (→ hidden tests
 * → end), the critic gives up (→ end, `failed`), or a budget throws.
 */
export function buildRefineGraph(ctx: RefineContext) {
  const node = (name: string, fn: (ctx: RefineContext, state: RefineState) => Promise<Partial<RefineState>>) =>
    instrumentNode(ctx, name, (state: RefineState) => fn(ctx, state));
  const wantsTester = (state: RefineState) =>
    ctx.options.tester && ctx.options.maxTesterTests > 0 && state.testerTests === null;
  const wantsHidden = () => ctx.options.hiddenTests && ctx.task.hiddenTests.length > 0;

  return new StateGraph(RefineStateAnnotation)
    .addNode('planner', node('planner', plannerNode))
    .addNode('coder', node('coder', coderNode))
    .addNode('tester', node('tester', testerNode))
    .addNode('execute', node('execute', executeCandidate))
    .addNode('critic', node('critic', criticNode))
    .addNode('hidden_tests', node('hidden_tests', runHiddenTests))
    .addConditionalEdges(START, () => (ctx.options.planner ? 'planner' : 'coder'), ['planner', 'coder'])
    .addEdge('planner', 'coder')
    .addConditionalEdges(
      'coder',
      (state) => (state.code === null ? 'critic' : wantsTester(state) ? 'tester' : 'execute'),
      ['critic', 'tester', 'execute'],
    )
    .addEdge('tester', 'execute')
    .addConditionalEdges('execute', (state) => (!state.passed ? 'critic' : wantsHidden() ? 'hidden_tests' : END), [
      'critic',
      'hidden_tests',
      END,
    ])
    .addConditionalEdges('critic', (state) => (state.stopReason !== null ? END : 'coder'), ['coder', END])
    .addEdge('hidden_tests', END)
    .compile();
}

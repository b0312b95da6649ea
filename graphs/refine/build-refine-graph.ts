import { END, START, StateGraph } from '@langchain/langgraph';
import { instrumentNode } from '../../src/runtime/instrument-node.ts';
import { coderNode } from './coder-node.ts';
import { criticNode } from './critic-node.ts';
import { executeCandidate } from './execute-candidate.ts';
import { plannerNode } from './planner-node.ts';
import type { RefineContext } from './refine-context.ts';
import { type RefineState, RefineStateAnnotation, type RefineUpdate } from './refine-state.ts';
import { runHiddenTests } from './run-hidden-tests.ts';
import { testerNode } from './tester-node.ts';

type RefineNode = (ctx: RefineContext, state: RefineState) => Promise<RefineUpdate>;

/**
 * planner → coder → tester (once) → execute → critic → coder ... until the candidate passes (→ hidden tests
 * → end), the critic gives up (→ end, `failed`), or a budget throws.
 *
 * The loop's nodes (coder, execute, critic) say where to go next themselves (a LangGraph `Command`, see
 * `instrumentNode`), from the state they were given and their update, instead of a conditional edge after each:
 * the same routes, without LangGraph reading the whole state again after every step.
 */
export function buildRefineGraph(ctx: RefineContext) {
  const node = (name: string, fn: RefineNode) => instrumentNode(ctx, name, (state: RefineState) => fn(ctx, state));
  const routed = (name: string, fn: RefineNode, route: (next: RefineState) => string) =>
    instrumentNode(
      ctx,
      name,
      (state: RefineState) => fn(ctx, state),
      // What the next state holds for the keys this node reads to route: every one of them is a `latest` channel.
      (state, update) => route({ ...state, ...update }),
    );
  const wantsTester = (state: RefineState) =>
    ctx.options.tester && ctx.options.maxTesterTests > 0 && state.testerTests === null;
  const wantsHidden = () => ctx.options.hiddenTests && ctx.task.hiddenTests.length > 0;

  return new StateGraph(RefineStateAnnotation)
    .addNode('planner', node('planner', plannerNode))
    .addNode(
      'coder',
      routed('coder', coderNode, (next) => (next.code === null ? 'critic' : wantsTester(next) ? 'tester' : 'execute')),
      { ends: ['critic', 'tester', 'execute'] },
    )
    .addNode('tester', node('tester', testerNode))
    .addNode(
      'execute',
      routed('execute', executeCandidate, (next) => (!next.passed ? 'critic' : wantsHidden() ? 'hidden_tests' : END)),
      { ends: ['critic', 'hidden_tests', END] },
    )
    .addNode(
      'critic',
      routed('critic', criticNode, (next) => (next.stopReason !== null ? END : 'coder')),
      { ends: ['coder', END] },
    )
    .addNode('hidden_tests', node('hidden_tests', runHiddenTests))
    .addConditionalEdges(START, () => (ctx.options.planner ? 'planner' : 'coder'), ['planner', 'coder'])
    .addEdge('planner', 'coder')
    .addEdge('tester', 'execute')
    .addEdge('hidden_tests', END)
    .compile();
}

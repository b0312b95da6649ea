import { Runnable } from '@langchain/core/runnables';
import { Command } from '@langchain/langgraph';
import { RunCancelledError } from './run-cancelled-error.ts';
import type { AnyRunContext } from './run-context.ts';

const stepCounter = new WeakMap<object, number>();

/** The node steps a run has started so far (a checkpoint records it). */
export function nodeStepsStarted(ctx: AnyRunContext): number {
  return stepCounter.get(ctx) ?? 0;
}

/** A resumed run numbers its next node after the steps its checkpoint had seen. */
export function restoreNodeSteps(ctx: AnyRunContext, steps: number): void {
  stepCounter.set(ctx, steps);
}

/**
 * A LangGraph node that calls `fn(state)` and nothing else. A plain function given to `addNode` is wrapped by
 * LangGraph in a RunnableCallable, which for every step merges the step's config into a new one and runs the
 * function inside an AsyncLocalStorage scope holding a fresh langsmith RunTree (a uuid7, timestamps, environment
 * reads), even with tracing off: the bulk of LangGraph's own per-node cost (bench/overhead-bench.ts). Refinery's
 * nodes use none of it: they read no LangGraph config (`getConfig`), call no `interrupt`, and run no LangChain
 * runnable that would trace under them; the step's task, writes, routing, checkpoints, the abort signal and
 * the step limit are LangGraph's as before. Nodes that need the config can still be given as functions.
 */
export class GraphNode<TState, TUpdate> extends Runnable<TState, TUpdate> {
  lc_namespace = ['refinery', 'graph-node'];

  constructor(
    name: string,
    private readonly fn: (state: TState) => Promise<TUpdate> | TUpdate,
  ) {
    super();
    this.name = name;
  }

  override async invoke(state: TState): Promise<TUpdate> {
    return this.fn(state);
  }
}

/**
 * Where a node goes next, decided from the state it was given and the update it returned (what the next state
 * holds for the keys the node wrote): a node name, or LangGraph's END.
 */
export type NodeRoute<TState, TUpdate> = (state: TState, update: TUpdate) => string;

/**
 * Wraps a LangGraph node so the trajectory gets node_enter, node_exit (with the state update) and the
 * budget totals after the step, and the progress line shows the node. A node does not start once the wall
 * budget is spent (the spine ends the run `exhausted:time` with the last state). The result goes to
 * `addNode` as it is (a {@link GraphNode}; `.invoke(state)` runs it outside a graph).
 *
 * With `route`, the node also says where the graph goes next: it returns a LangGraph `Command` (the update, and
 * `goto` the route's answer) instead of the update, so the graph needs no conditional edge from it (add the node
 * with `{ ends: [...] }`, the places the route may name). A conditional edge reads the whole state again after
 * every step of its node, applying the step's writes to a fresh copy of the channels it wrote (a checkpoint
 * copy with a random uuid): a third of LangGraph's own cost per step of a refine replay. The trajectory's
 * node_exit holds the update as without a route; `.invoke(state)` returns the Command.
 */
export function instrumentNode<TState, TUpdate>(
  ctx: AnyRunContext,
  name: string,
  fn: (state: TState) => Promise<TUpdate> | TUpdate,
): GraphNode<TState, TUpdate>;
export function instrumentNode<TState, TUpdate>(
  ctx: AnyRunContext,
  name: string,
  fn: (state: TState) => Promise<TUpdate> | TUpdate,
  route: NodeRoute<TState, TUpdate>,
): GraphNode<TState, Command>;
export function instrumentNode<TState, TUpdate>(
  ctx: AnyRunContext,
  name: string,
  fn: (state: TState) => Promise<TUpdate> | TUpdate,
  route?: NodeRoute<TState, TUpdate>,
): GraphNode<TState, TUpdate | Command> {
  return new GraphNode<TState, TUpdate | Command>(name, async (state: TState) => {
    ctx.budget.checkTime();
    if (ctx.stopAfterStep?.aborted) throw new RunCancelledError(String(ctx.stopAfterStep.reason ?? 'stopped'));
    const step = (stepCounter.get(ctx) ?? 0) + 1;
    stepCounter.set(ctx, step);
    ctx.currentNode = { name, step };
    ctx.trajectory.write({ type: 'node_enter', node: name, step });
    ctx.progress.update({ node: name, totals: ctx.budget.totals() });
    const started = performance.now();
    const update = await fn(state);
    ctx.trajectory.write({
      type: 'node_exit',
      node: name,
      step,
      update: update ?? null,
      durationMs: Math.round(performance.now() - started),
    });
    const totals = ctx.budget.totals();
    ctx.trajectory.write({ type: 'budget', totals });
    ctx.progress.update({ node: name, totals });
    return route ? new Command({ update: update as Record<string, unknown>, goto: route(state, update) }) : update;
  });
}

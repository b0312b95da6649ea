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
 * Wraps a LangGraph node so the trajectory gets node_enter, node_exit (with the state update) and the
 * budget totals after the step, and the progress line shows the node. A node does not start once the wall
 * budget is spent (the spine ends the run `exhausted:time` with the last state).
 */
export function instrumentNode<TState, TUpdate>(
  ctx: AnyRunContext,
  name: string,
  fn: (state: TState) => Promise<TUpdate> | TUpdate,
): (state: TState) => Promise<TUpdate> {
  return async (state: TState) => {
    ctx.budget.checkTime();
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
    return update;
  };
}

import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { GraphRecursionError } from '@langchain/langgraph';
import { BudgetExhaustedError } from '../budget/budget-exhausted-error.ts';
import type { ExitStatus } from './exit-status.ts';
import type { AnyPipelineDefinition, PipelineOutcome, RunEnding } from './pipeline-definition.ts';
import { RunCancelledError } from './run-cancelled-error.ts';
import type { AnyRunContext } from './run-context.ts';
import { installUntracedRunContext } from './untraced-run-context.ts';

/**
 * Runs a pipeline's graph the same way for every pipeline: streamed with the step limit and the run's abort
 * signal, keeping the last state. A budget stop, the step limit or a cancel (the signal's reason says which
 * one aborted it) ends the run with the pipeline's result built from that last state. Anything else
 * propagates to `runPipeline`, which writes status `error`.
 */
export async function runPipelineGraph(
  definition: AnyPipelineDefinition,
  ctx: AnyRunContext,
  checkpointing?: GraphCheckpointing,
  /** Ends the run at the next step boundary (the running nodes finish first): status `cancelled`. */
  stopAfterStep?: AbortSignal,
): Promise<PipelineOutcome> {
  const start = await definition.start(ctx);
  const resumeFrom = checkpointing?.resumeFrom;
  let state: object | undefined = resumeFrom?.state;
  let ending: RunEnding;
  try {
    // The spine compiles every graph with the run's checkpointer: one thread per run, saved after every step
    // (durability `sync`: the next step starts once the checkpoint is written). A resume streams `null` from the
    // thread's last checkpoint, with what is left of the step limit.
    if (checkpointing) start.graph.checkpointer = checkpointing.saver;
    const fromCheckpoint = resumeFrom?.state !== undefined;
    const stepsDone = fromCheckpoint ? (resumeFrom.ledgers.mark?.nodeSteps ?? 0) : 0;
    installUntracedRunContext();
    const stream = await start.graph.stream(fromCheckpoint ? null : (start.input ?? {}), {
      streamMode: 'values',
      recursionLimit: Math.max(1, start.stepLimit - stepsDone),
      signal: ctx.signal,
      ...(checkpointing ? { configurable: { thread_id: checkpointing.threadId }, durability: 'sync' as const } : {}),
    });
    // Stopping after a step: instrumented nodes refuse to start (ctx.stopAfterStep), so the step running at the stop
    // finishes (LangGraph may already run the step after the values it streamed) and the next one ends the run
    // cancelled. A graph whose nodes are not instrumented is stopped here after one more step.
    let stepsSinceStop = 0;
    for await (const values of stream) {
      state = values as object;
      if (stopAfterStep?.aborted && ++stepsSinceStop > 1)
        throw new RunCancelledError(String(stopAfterStep.reason ?? 'stopped'));
    }
    ending = { kind: 'completed' };
  } catch (error) {
    ending = endingOf(error, ctx.signal, start.stepLimit);
  } finally {
    await start.release?.();
  }
  const result = definition.resultSchema.parse(await definition.result(ctx, state, ending));
  if (ending.kind === 'completed') {
    const verdict = definition.verdict(ctx, result);
    return { status: verdict.status, result, summary: verdict.summary };
  }
  return { status: statusOf(ending), result, summary: `${ending.message}; ${definition.progressLine(result)}` };
}

/** The run's checkpointer, its thread, and the checkpoint a resumed run continues from. */
export interface GraphCheckpointing {
  saver: BaseCheckpointSaver;
  threadId: string;
  resumeFrom?: { state: Record<string, unknown> | undefined; ledgers: { mark?: { nodeSteps: number } | undefined } };
}

/** How an exception thrown out of the graph ends the run; rethrows what is not an ending the spine owns. */
function endingOf(error: unknown, signal: AbortSignal, stepLimit: number): RunEnding {
  const cause = signal.aborted ? signal.reason : error;
  if (cause instanceof BudgetExhaustedError) return { kind: 'budget', budget: cause.budget, message: cause.message };
  if (cause instanceof RunCancelledError) return { kind: 'cancelled', message: cause.message };
  if (error instanceof GraphRecursionError)
    return { kind: 'step-limit', limit: stepLimit, message: `graph step limit ${stepLimit} reached` };
  throw error;
}

function statusOf(ending: Exclude<RunEnding, { kind: 'completed' }>): ExitStatus {
  switch (ending.kind) {
    case 'budget':
      return `exhausted:${ending.budget}`;
    case 'step-limit':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}

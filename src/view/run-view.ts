import type { BudgetTotals, TrajectoryEvent } from '../trajectory/trajectory-events.ts';

/** One node's run inside a trajectory: from its `node_enter` to its `node_exit` (absent when the run was killed in it). */
export interface NodeSpan {
  step: number;
  node: string;
  /** Index into the run's events of the `node_enter`. */
  enter: number;
  /** Index of the `node_exit`; null when the node never returned. */
  exit: number | null;
  /** Milliseconds from the header to the node's start. */
  startMs: number;
  durationMs: number | null;
  /**
   * Superseded by a `resume`: the run was killed after this node started and ran it again after resuming; its
   * events are also listed under that later run of the node (they are not written twice).
   */
  interrupted?: true;
  /** Indices of the events the node wrote (model calls, executions, notes), in order. */
  events: number[];
}

/** A model call (or failed call) with what the viewer shows beside it. */
export interface CallView {
  /** Index into the run's events. */
  event: number;
  agent: string;
  /** Index of the same agent's previous call, if any. */
  previous: number | null;
  /** Line diff (`-` previous, `+` this call) of the prompt against the same agent's previous call; '' when equal. */
  promptDiff: string;
  /** The same for the reply texts. */
  replyDiff: string;
}

export interface ExecutionView {
  event: number;
  /** `passed`, `failed`, `error`, `timeout`, ... or a count per verdict for a batch; '' when the result names none. */
  verdict: string;
  /** The limits the request set (timeouts, memory, output bytes), by key path. */
  limits: Record<string, string | number | boolean>;
  /** The first lines of the request's program and the result's outputs, by key path. */
  excerpts: { label: string; text: string }[];
}

/** Everything the page of one trajectory shows; `events` are the trajectory's own, unchanged. */
export interface RunView {
  path: string;
  runId: string;
  /** `config.graph`: the pipeline that recorded the run. */
  pipeline: string;
  replayOf: string | null;
  task: unknown;
  startedAt: string;
  /** Set for a killed run's prefix: why the viewer calls it truncated. */
  truncated: string | null;
  final: {
    status: string;
    exitCode: number;
    result: unknown;
    totals: BudgetTotals;
    error: { name: string; message: string } | null;
  } | null;
  /** The config's execution limits (`execution.timeoutSec`, ...): what applies where a request sets none. */
  executionLimits: Record<string, string | number | boolean>;
  /** Budget totals after each node, and the limits the config set (null where none). */
  budgets: { points: { seq: number; totals: BudgetTotals }[]; limits: BudgetLimits };
  events: TrajectoryEvent[];
  spans: NodeSpan[];
  calls: CallView[];
  executions: ExecutionView[];
}

export interface BudgetLimits {
  iterations: number | null;
  modelCalls: number | null;
  tokens: number | null;
  costUsd: number | null;
  wallMs: number | null;
}

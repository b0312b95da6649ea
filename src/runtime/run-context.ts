import type { BudgetTracker } from '../budget/budget-tracker.ts';
import type { PipelineConfig } from '../config/pipeline-config-schema.ts';
import type { Executor } from '../execution/execution-types.ts';
import type { ModelClient } from '../models/model-types.ts';
import type { TrajectoryWriter } from '../trajectory/trajectory-writer.ts';
import type { ProgressReporter } from './progress-reporter.ts';

/** Everything a graph may use. Model and executor are already wrapped for recording/replay and budgets. */
export interface RunContext<TTask = unknown, TOptions = unknown> {
  runId: string;
  config: PipelineConfig;
  /** Directory that relative paths in the config resolve against (the repo root for shipped configs). */
  baseDir: string;
  options: TOptions;
  task: TTask;
  /** The model client for an agent (by agent name in `config.agents`). */
  modelFor(agent: string): { client: ModelClient; provider: string; model: string; params: Record<string, unknown> };
  executor: Executor;
  trajectory: TrajectoryWriter;
  budget: BudgetTracker;
  progress: ProgressReporter;
  /** Node currently running; set by the node instrumentation, read by recorders. */
  currentNode: { name: string; step: number };
  signal: AbortSignal;
  /**
   * Once aborted, no node starts (`instrumentNode` throws RunCancelledError): the running ones finish, their model
   * calls answered and recorded, and the run ends `cancelled` at that step boundary (a worker stopping, a queued
   * batch's budget spent).
   */
  stopAfterStep?: AbortSignal;
  /**
   * Runs a deterministic step (an execution, a matrix of executions) and records it. Under replay with
   * recorded executions the recorded result is returned without running anything.
   */
  recordedStep<TResult>(kind: string, request: unknown, run: () => Promise<TResult>): Promise<TResult>;
  /** How this run answers model calls and executions: live, or from a recorded trajectory. */
  mode: RunMode;
  /**
   * Set when this run continues a killed one (`refinery resume`): `start` builds the graph again and the spine
   * continues it from `state`, the last checkpoint (undefined: no node had finished). A pipeline that made
   * something outside the graph (a worktree) reuses it here, or refuses with a `ResumeError`.
   */
  resume?: { trajectoryPath: string; state: Record<string, unknown> | undefined };
}

/**
 * The context of a run of any pipeline, for the spine and the helpers every graph shares (`callAgent`,
 * `instrumentNode`): they read neither the task nor the options, and a pipeline's own context is assignable to it.
 */
export type AnyRunContext = RunContext<unknown, unknown>;

export type RunMode =
  | { kind: 'live' }
  | { kind: 'replay'; exec: 'live' | 'recorded'; onDivergence: 'stop' | 'live'; trajectoryPath: string };

/**
 * A small, offline run of a pipeline: a config, a task and the model replies of each agent, in call order.
 * The record/replay conformance suite (`refinery/testing`) runs it live from these replies, then replays
 * the trajectory with recorded executions and requires the same events, status and result. A pipeline that
 * declares one gets that test without writing it.
 */
export interface PipelineExample {
  /** Builds the inputs; may create files (a scratch git repository) under `scratchDir`. */
  prepare(scratchDir: string): Promise<PipelineExampleInputs> | PipelineExampleInputs;
}

export interface PipelineExampleInputs {
  /** Pipeline YAML, absolute or relative to the project root. */
  config: string;
  /** `--set` overrides. */
  set?: string[];
  /** The task object (validated by the pipeline's task schema). */
  task: unknown;
  /** Replies by agent name, consumed in order; a call asking for `n` samples takes `n` replies. */
  replies: Record<string, string[]>;
}

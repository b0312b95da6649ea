// `refinery`: the spine's public API. Pipelines are built on these; the shipped ones are `refinery/pipelines`.

export { BudgetExhaustedError } from './budget/budget-exhausted-error.ts';
export { classifyError } from './errors/classify-error.ts';
export { RefineryError, type RefineryErrorCode } from './errors/refinery-error.ts';
export type { ExecutionRequest, ExecutionResult, Executor, Verdict } from './execution/execution-types.ts';
export type {
  CallOutcome,
  CallsRequest,
  CallsResult,
  MatrixEngine,
  MatrixRequest,
  MatrixResult,
} from './execution/matrix/matrix-engine.ts';
export type { ModelClient, ModelReply, ModelRequest } from './models/model-types.ts';
export { type AgentCall, callAgent } from './runtime/call-agent.ts';
export { createRefinery, type Refinery, type RefineryOptions } from './runtime/create-refinery.ts';
export { EXIT_CODES, EXIT_STATUSES, type ExitStatus } from './runtime/exit-status.ts';
export { instrumentNode } from './runtime/instrument-node.ts';
export type {
  AgentRequirement,
  AnyPipelineDefinition,
  PipelineCommand,
  PipelineCommandServices,
  PipelineDefinition,
  PipelineOutcome,
  PipelineSet,
  PipelineStart,
  PipelineVerdict,
  RunEnding,
} from './runtime/pipeline-definition.ts';
export type { PipelineExample, PipelineExampleInputs } from './runtime/pipeline-example.ts';
export {
  describeFlags,
  type FlagDescriptor,
  type FlagSchema,
  flagFor,
  parsePipelineFlags,
} from './runtime/pipeline-flags.ts';
export { PipelineRegistry } from './runtime/pipeline-registry.ts';
export type { RunContext, RunMode } from './runtime/run-context.ts';
export type { RunPipelineOptions, RunPipelineResult } from './runtime/run-pipeline.ts';

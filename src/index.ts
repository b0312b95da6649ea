// `refinery`: the spine's public API. Pipelines are built on these; the shipped ones are `refinery/pipelines`.
export { createRefinery, type Refinery, type RefineryOptions } from './runtime/create-refinery.ts';
export { PipelineRegistry } from './runtime/pipeline-registry.ts';
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
export { describeFlags, flagFor, parsePipelineFlags, type FlagDescriptor, type FlagSchema } from './runtime/pipeline-flags.ts';
export type { PipelineExample, PipelineExampleInputs } from './runtime/pipeline-example.ts';
export type { RunContext, RunMode } from './runtime/run-context.ts';
export type { RunPipelineOptions, RunPipelineResult } from './runtime/run-pipeline.ts';
export { callAgent, type AgentCall } from './runtime/call-agent.ts';
export { instrumentNode } from './runtime/instrument-node.ts';
export { EXIT_CODES, EXIT_STATUSES, type ExitStatus } from './runtime/exit-status.ts';
export { RefineryError, type RefineryErrorCode } from './errors/refinery-error.ts';
export { classifyError } from './errors/classify-error.ts';
export { BudgetExhaustedError } from './budget/budget-exhausted-error.ts';
export type { Executor, ExecutionRequest, ExecutionResult, Verdict } from './execution/execution-types.ts';
export type { MatrixEngine, MatrixRequest, MatrixResult } from './execution/matrix/matrix-engine.ts';
export type { ModelClient, ModelRequest, ModelReply } from './models/model-types.ts';

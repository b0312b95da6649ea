// `refinery/testing`: the conformance suites every seam's implementations must pass (vitest describe/it blocks),
// and what they run on. A library user runs them on their own pipelines, providers, executors and engines.

export { ExampleModelClient } from './example-model-client.ts';
export { describeExecutorConformance, type ExecutorConformanceOptions } from './executor-conformance.ts';
export { httpProviderTarget } from './http-provider-target.ts';
export { describeMatrixEngineConformance, type MatrixEngineConformanceOptions } from './matrix-engine-conformance.ts';
export { describePipelineConformance, type PipelineConformanceOptions } from './pipeline-conformance.ts';
export { describeProviderConformance } from './provider-conformance.ts';
export type { Capability, ProviderCapabilities, ProviderConformanceTarget } from './provider-conformance-target.ts';

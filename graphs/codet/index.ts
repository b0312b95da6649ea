import { registerPipeline } from '../../src/runtime/pipeline-registry.ts';
import { createCodetPipeline } from './codet-pipeline.ts';

export { createCodetPipeline, type CodetPipelineDeps, type CodetResult, type DualEngineLease } from './codet-pipeline.ts';
export { rankCandidatesByDualAgreement, rankFromMatrix, executeDualMatrix } from './rank-candidates.ts';
export type { RankCandidatesInput, RankCandidatesResult, DualExecutionMatrix } from './rank-candidates.ts';
export type { DualExecutionEngine } from './dual-execution-engine.ts';
export { codetOptionsSchema, type CodetOptions } from './codet-options.ts';
export { codetTaskSchema, type CodetTask } from './codet-task.ts';

/** The registered `graph: codet` pipeline, running on the shared batch engine. */
export const codetPipeline = createCodetPipeline();
registerPipeline(codetPipeline);

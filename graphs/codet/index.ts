import { registerPipeline } from '../../src/runtime/pipeline-registry.ts';
import { createCodetPipeline } from './codet-pipeline.ts';

export { createCodetPipeline, type CodetPipelineDeps, type CodetResult } from './codet-pipeline.ts';
export { rankCandidatesByDualAgreement, rankFromMatrix, executeDualMatrix } from './rank-candidates.ts';
export type { RankCandidatesInput, RankCandidatesResult, DualExecutionMatrix } from './rank-candidates.ts';
export type { MatrixEngine, MatrixEngineLease } from '../../src/execution/matrix/index.ts';
export { codetOptionsSchema, type CodetOptions } from './codet-options.ts';
export { codetTaskSchema, type CodetTask } from './codet-task.ts';

/** The registered `graph: codet` pipeline, running on the shared batch engine. */
export const codetPipeline = createCodetPipeline();
registerPipeline(codetPipeline);

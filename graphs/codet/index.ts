import { createCodetBenchCommand } from './codet-bench-command.ts';
import { createCodetPipeline } from './codet-pipeline.ts';

export type { MatrixEngine, MatrixEngineLease } from '../../src/execution/matrix/index.ts';
export { type CodetOptions, codetOptionsSchema } from './codet-options.ts';
export { type CodetPipelineDeps, type CodetResult, codetResultSchema, createCodetPipeline } from './codet-pipeline.ts';
export { type CodetTask, codetTaskSchema } from './codet-task.ts';
export type { DualExecutionMatrix, RankCandidatesResult } from './rank-candidates.ts';
export { executeDualMatrix, rankFromMatrix } from './rank-candidates.ts';

/** The `graph: codet` pipeline, running on the shared batch engine, with its `refinery bench codet`. */
export const codetPipeline = { ...createCodetPipeline(), commands: [createCodetBenchCommand(createCodetPipeline)] };

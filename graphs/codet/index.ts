import { createCodetBenchCommand } from './codet-bench-command.ts';
import { createCodetPipeline } from './codet-pipeline.ts';

export { createCodetPipeline, codetResultSchema, type CodetPipelineDeps, type CodetResult } from './codet-pipeline.ts';
export { rankFromMatrix, executeDualMatrix } from './rank-candidates.ts';
export type { RankCandidatesResult, DualExecutionMatrix } from './rank-candidates.ts';
export type { MatrixEngine, MatrixEngineLease } from '../../src/execution/matrix/index.ts';
export { codetOptionsSchema, type CodetOptions } from './codet-options.ts';
export { codetTaskSchema, type CodetTask } from './codet-task.ts';

/** The `graph: codet` pipeline, running on the shared batch engine, with its `refinery bench codet`. */
export const codetPipeline = { ...createCodetPipeline(), commands: [createCodetBenchCommand(createCodetPipeline)] };

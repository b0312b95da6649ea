import { mutapBenchCommand } from './mutap-bench-command.ts';
import { createMutapPipeline } from './mutap-pipeline.ts';

export { type MutapOptions, mutapOptionsSchema } from './mutap-options.ts';
export { createMutapPipeline, type MutapPipelineDeps } from './mutap-pipeline.ts';
export { type MutapResult, mutapResultSchema } from './mutap-result.ts';
export { type MutapTask, mutapTaskSchema } from './mutap-task.ts';

/** The `graph: mutap` pipeline on the shared batch engine, with its `refinery bench mutap`. */
export const mutapPipeline = { ...createMutapPipeline(), commands: [mutapBenchCommand] };

import { difftestCommand } from './difftest-command.ts';
import { createMokavBenchCommand } from './mokav-bench-command.ts';
import { createMokavPipeline } from './mokav-pipeline.ts';

export { type MokavOptions, mokavOptionsSchema } from './mokav-options.ts';
export { createMokavPipeline, type MokavPipelineDeps } from './mokav-pipeline.ts';
export { type MokavCandidate, type MokavResult, mokavResultSchema } from './mokav-result.ts';
export { type MokavTask, mokavTaskSchema } from './mokav-task.ts';

/** The `graph: mokav` pipeline on the shared batch engine, with `refinery bench mokav` and `refinery difftest`. */
export const mokavPipeline = {
  ...createMokavPipeline(),
  commands: [createMokavBenchCommand(createMokavPipeline), difftestCommand],
};

export { repoPipeline, repoResultSchema, type RepoRunResult } from './repo-pipeline.ts';
export { repoRunFlagsSchema, repoTaskFromFlags, repoTaskSchema, type RepoRunFlags, type RepoTask } from './repo-task.ts';
export { repoReplayFlagsSchema, repoReplayTask, type RepoReplayFlags } from './repo-replay-flags.ts';
export { repoOptionsSchema, type RepoOptions } from './repo-options.ts';

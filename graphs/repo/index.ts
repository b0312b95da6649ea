export { type RepoOptions, repoOptionsSchema } from './repo-options.ts';
export { type RepoRunResult, repoPipeline, repoResultSchema } from './repo-pipeline.ts';
export { type RepoReplayFlags, repoReplayFlagsSchema, repoReplayTask } from './repo-replay-flags.ts';
export {
  type RepoRunFlags,
  type RepoTask,
  repoRunFlagsSchema,
  repoTaskFromFlags,
  repoTaskSchema,
} from './repo-task.ts';

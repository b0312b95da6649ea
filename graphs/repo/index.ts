export { repoPipeline, repoResultSchema, type RepoRunResult } from './repo-pipeline.ts';
export { repoTaskFromFlags, repoTaskSchema, type RepoTask } from './repo-task.ts';
export { repoOptionsSchema, type RepoOptions } from './repo-options.ts';

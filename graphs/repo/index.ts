import { registerPipeline } from '../../src/runtime/pipeline-registry.ts';
import { repoPipeline } from './repo-pipeline.ts';

export { repoPipeline } from './repo-pipeline.ts';
export { repoTaskFromFlags, repoTaskSchema, type RepoTask } from './repo-task.ts';
export { repoOptionsSchema, type RepoOptions } from './repo-options.ts';

registerPipeline(repoPipeline);

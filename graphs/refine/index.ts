import { registerPipeline } from '../../src/runtime/pipeline-registry.ts';
import { refinePipeline } from './refine-pipeline.ts';

registerPipeline(refinePipeline);

export { refinePipeline };
export { refineTaskSchema, type RefineTask } from './refine-task-schema.ts';
export { refineOptionsSchema, type RefineOptions } from './refine-options-schema.ts';

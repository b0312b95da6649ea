export { type RefineOptions, refineOptionsSchema } from './refine-options-schema.ts';
export { type RefineResult, refinePipeline, refineResultSchema } from './refine-pipeline.ts';
export { type RefineTask, refineTaskSchema } from './refine-task-schema.ts';

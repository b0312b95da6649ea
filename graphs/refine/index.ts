export { refinePipeline, refineResultSchema, type RefineResult } from './refine-pipeline.ts';
export { refineTaskSchema, type RefineTask } from './refine-task-schema.ts';
export { refineOptionsSchema, type RefineOptions } from './refine-options-schema.ts';

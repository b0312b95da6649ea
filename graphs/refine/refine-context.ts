import type { RunContext } from '../../src/runtime/run-context.ts';
import type { RefineOptions } from './refine-options-schema.ts';
import type { RefineTask } from './refine-task-schema.ts';

export type RefineContext = RunContext<RefineTask, RefineOptions>;

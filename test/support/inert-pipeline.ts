import { z } from 'zod';
import type { AnyPipelineDefinition } from '../../src/runtime/pipeline-definition.ts';

/**
 * A pipeline the CLI can list, parse flags for and dispatch commands of, but never runs: its graph throws.
 * `extra` adds what a test looks at (`runFlags` with `taskFromFlags`, `commands`).
 */
export function inertPipeline(name: string, extra: Partial<AnyPipelineDefinition> = {}): AnyPipelineDefinition {
  return {
    name,
    description: 'test pipeline',
    optionsSchema: z.object({}),
    taskSchema: z.object({}),
    resultSchema: z.object({}),
    agents: [],
    start: () => {
      throw new Error('not run here');
    },
    result: () => ({}),
    verdict: () => ({ status: 'passed', summary: '' }),
    progressLine: () => '',
    ...extra,
  };
}

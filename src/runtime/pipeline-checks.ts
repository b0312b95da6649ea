import type { LoadPipelineConfigOptions } from '../config/load-pipeline-config.ts';
import type { PipelineSet } from './pipeline-definition.ts';

/**
 * What the config loader checks against the registry: `graph:` names a registered pipeline, `options:`
 * passes its schema, and every agent it needs (with the options given) is configured with its prompt files.
 */
export function pipelineChecks(
  pipelines: PipelineSet,
): Pick<LoadPipelineConfigOptions, 'knownGraphs' | 'optionsSchemaFor' | 'agentsRequiredBy'> {
  return {
    knownGraphs: pipelines.names(),
    optionsSchemaFor: (graph) => pipelines.get(graph)?.optionsSchema,
    agentsRequiredBy: (graph, options) =>
      (pipelines.get(graph)?.agents ?? [])
        .filter((requirement) => requirement.when === undefined || requirement.when(options))
        .map(({ agent, prompts }) => ({ agent, prompts })),
  };
}

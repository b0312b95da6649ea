import type { LoadedConfig, LoadPipelineConfigOptions } from '../config/load-pipeline-config.ts';
import type { AnyPipelineDefinition } from './pipeline-definition.ts';
import { PipelineRegistry } from './pipeline-registry.ts';
import type { RunPipelineOptions, RunPipelineResult } from './run-pipeline.ts';

export interface RefineryOptions {
  /** The pipelines this instance runs, e.g. `shippedPipelines` from graphs/index.ts, or your own. */
  pipelines: Iterable<AnyPipelineDefinition> | PipelineRegistry;
}

/** One Refinery: a registry of pipelines and the spine's entry points bound to it. */
export interface Refinery {
  pipelines: PipelineRegistry;
  /** Runs a pipeline live or replays a trajectory (`replay: {...}`), always writing a final event. */
  run(options: Omit<RunPipelineOptions, 'pipelines'>): Promise<RunPipelineResult>;
  /** Loads and validates a pipeline YAML against this instance's pipelines (graph, options, agents, prompts). */
  loadConfig(
    path: string,
    options?: Omit<LoadPipelineConfigOptions, 'knownGraphs' | 'optionsSchemaFor' | 'agentsRequiredBy'>,
  ): Promise<LoadedConfig>;
}

/**
 * The spine's entry points load on first call, not with the registry: a command that only lists or describes
 * pipelines (`refinery --help`) starts without LangGraph, the model SDKs or the config loader.
 */
export function createRefinery(options: RefineryOptions): Refinery {
  const pipelines =
    options.pipelines instanceof PipelineRegistry ? options.pipelines : new PipelineRegistry(options.pipelines);
  return {
    pipelines,
    run: async (runOptions) => {
      const { runPipeline } = await import('./run-pipeline.ts');
      return runPipeline({ ...runOptions, pipelines });
    },
    loadConfig: async (path, loadOptions = {}) => {
      const [{ loadPipelineConfig }, { pipelineChecks }] = await Promise.all([
        import('../config/load-pipeline-config.ts'),
        import('./pipeline-checks.ts'),
      ]);
      return loadPipelineConfig(path, { ...loadOptions, ...pipelineChecks(pipelines) });
    },
  };
}

import type { BudgetTracker } from '../budget/budget-tracker.ts';
import type { ModelConfig, PipelineConfig, Price } from '../config/pipeline-config-schema.ts';
import type { Executor } from '../execution/execution-types.ts';
import type { ModelClient } from '../models/model-types.ts';
import { createModelClient } from '../models/create-model-client.ts';

// Temporary indirection while the config, model and execution modules land; replaced by static imports.
const lazy = <T>(specifier: string) => import(specifier) as Promise<T>;

export interface LoadedSpineConfig {
  config: PipelineConfig;
  path: string;
  baseDir: string;
  secrets: string[];
  redacted: unknown;
}

export async function loadSpineConfig(
  path: string,
  opts: { set: string[]; env: NodeJS.ProcessEnv; optionsSchemaFor: (graph: string) => unknown; knownGraphs: string[] },
): Promise<LoadedSpineConfig> {
  const mod = await lazy<{ loadPipelineConfig: (p: string, o: unknown) => Promise<LoadedSpineConfig> }>('../config/load-pipeline-config.ts');
  return mod.loadPipelineConfig(path, opts);
}

export function createSpineExecutor(config: PipelineConfig, onWarning?: (m: string) => void): Executor {
  const ready = lazy<{ createExecutor: (o: unknown) => Executor; limitsFromConfig: (e: unknown) => unknown }>('../execution/create-executor.ts').then(
    (mod) => mod.createExecutor({ sandbox: config.execution.sandbox, defaults: mod.limitsFromConfig(config.execution), onWarning }),
  );
  return { run: async (request, options) => (await ready).run(request, options) };
}

export function createSpineModelClient(
  model: ModelConfig,
  deps: { budget: BudgetTracker; pricing: Record<string, Price>; onWarning?: ((m: string) => void) | undefined; configKey: string },
): ModelClient {
  const { budget, pricing, configKey } = deps;
  return createModelClient(interpolateSecrets(model), { budget, pricing, configKey, ...(deps.onWarning ? { onWarning: deps.onWarning } : {}) });
}

/** A replayed config keeps `${VAR}` placeholders for secrets; a live fallback reads them from the environment. */
function interpolateSecrets(model: ModelConfig): ModelConfig {
  const match = model.apiKey?.match(/^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/);
  if (!match) return model;
  const value = process.env[match[1]!];
  return value === undefined ? { ...model, apiKey: undefined } : { ...model, apiKey: value };
}

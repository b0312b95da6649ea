import type { BudgetTracker } from '../budget/budget-tracker.ts';
import type { ModelConfig, PipelineConfig, Price } from '../config/pipeline-config-schema.ts';
import { createExecutor } from '../execution/create-executor.ts';
import { limitsFromConfig } from '../execution/execution-limits.ts';
import type { Executor } from '../execution/execution-types.ts';
import { createModelClient } from '../models/create-model-client.ts';
import type { ModelClient } from '../models/model-types.ts';
import { loadSampleSource } from '../models/recorded/load-sample-source.ts';
import { RecordedSamplesModel } from '../models/recorded/recorded-samples-model.ts';
import { TaskError } from './task-error.ts';

export function createSpineExecutor(config: PipelineConfig, onWarning?: (m: string) => void): Executor {
  return createExecutor({
    sandbox: config.execution.sandbox,
    defaults: limitsFromConfig(config.execution),
    ...(onWarning ? { onWarning } : {}),
  });
}

export function createSpineModelClient(
  model: ModelConfig,
  deps: {
    budget: BudgetTracker;
    pricing: Record<string, Price>;
    onWarning?: ((m: string) => void) | undefined;
    configKey: string;
    baseDir: string;
  },
): ModelClient {
  if (model.provider === 'recorded') {
    if (!model.recording)
      throw new TaskError('config', `models.${deps.configKey}.recording`, "provider 'recorded' needs a recording file");
    return new RecordedSamplesModel(loadSampleSource(model.recording, deps.baseDir));
  }
  const { budget, pricing, configKey } = deps;
  return createModelClient(interpolateSecrets(model), {
    budget,
    pricing,
    configKey,
    ...(deps.onWarning ? { onWarning: deps.onWarning } : {}),
  });
}

/** A replayed config keeps `${VAR}` placeholders for secrets; a live fallback reads them from the environment. */
function interpolateSecrets(model: ModelConfig): ModelConfig {
  const match = model.apiKey?.match(/^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?\}$/);
  if (!match) return model;
  const value = process.env[match[1]!] ?? match[2];
  return value === undefined || value === '' ? { ...model, apiKey: undefined } : { ...model, apiKey: value };
}

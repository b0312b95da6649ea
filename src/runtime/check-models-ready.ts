import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue, type ConfigIssueKind } from '../config/config-error.ts';
import { locateKeyPath } from '../config/config-issue-locator.ts';
import { formatKeyPath, type KeyPath } from '../config/config-key-path.ts';
import { type ConfigLayer, type IssueLocation, type LayerContext, loadFileLayers } from '../config/config-layers.ts';
import type { PipelineConfig } from '../config/pipeline-config-schema.ts';
import { parseSetOverride } from '../config/set-override.ts';
import { displayPath } from '../config/yaml-config-source.ts';
import { createModelClient } from '../models/create-model-client.ts';
import { ModelConfigError } from '../models/model-config-error.ts';
import { recordingFiles } from '../models/recorded/load-sample-source.ts';

export interface ModelsReadyCheck {
  config: PipelineConfig;
  /** The config file the run was given (absolute, or relative to `cwd`): problems are located in it and its `extends`. */
  configPath: string;
  cwd: string;
  /** Directory a recording's relative path resolves against. */
  baseDir: string;
  /** The run's `--set` flags, so a problem written by a flag names the flag. */
  set?: readonly string[] | undefined;
  /** Source of `${VAR}` values when re-reading the config to locate a problem. */
  env?: NodeJS.ProcessEnv | undefined;
  /** `models.<name>` keys whose client the caller supplies (`RunPipelineOptions.models`): not checked. */
  overridden?: Readonly<Record<string, unknown>> | undefined;
}

interface Problem {
  keyPath: KeyPath;
  message: string;
  kind: ConfigIssueKind;
}

/**
 * Before a live run starts, checks that the model of every configured agent can make a call: an API key for
 * `openai`/`anthropic` (after `${VAR}` interpolation, or from the provider's environment variable), a base URL
 * for `openai-compatible`, an existing recording for `recorded`. The providers' own construction is the check,
 * so it says exactly what the first call would. Throws one {@link ConfigError} (exit 2) naming the file,
 * line:column and key of each problem, instead of a failure at the first node.
 */
export async function checkModelsReady(check: ModelsReadyCheck): Promise<void> {
  const { config, baseDir } = check;
  const agentsOf = new Map<string, string[]>();
  for (const [agent, { model }] of Object.entries(config.agents))
    agentsOf.set(model, [...(agentsOf.get(model) ?? []), agent]);

  const problems: Problem[] = [];
  for (const [name, agents] of agentsOf) {
    const model = config.models[name];
    // An unknown model is reported when the config loads; a supplied client needs nothing from the config.
    if (!model || (check.overridden && Object.hasOwn(check.overridden, name))) continue;
    const usedBy = `(used by agent${agents.length > 1 ? 's' : ''} ${agents.join(', ')})`;
    if (model.provider === 'recorded') {
      const keyPath = ['models', name, 'recording'];
      if (!model.recording)
        problems.push({ keyPath, message: `provider 'recorded' needs a recording file ${usedBy}`, kind: 'missing' });
      else
        for (const file of recordingFiles(model.recording, baseDir))
          if (file !== undefined && !existsSync(file))
            problems.push({
              keyPath,
              message: `recording file not found: ${displayPath(file)} ${usedBy}`,
              kind: 'reference',
            });
      continue;
    }
    try {
      createModelClient(model, { configKey: name });
    } catch (error) {
      if (!(error instanceof ModelConfigError)) throw error;
      const prefix = `models.${name}.`;
      const field = error.configKey.startsWith(prefix) ? error.configKey.slice(prefix.length) : undefined;
      problems.push({
        keyPath: ['models', name, ...(field ? [field] : [])],
        message: `${error.message} ${usedBy}`,
        kind: 'missing',
      });
    }
  }
  if (problems.length === 0) return;

  const locate = await locator(check);
  const issues: ConfigIssue[] = problems.map((p) => ({
    ...locate(p.keyPath),
    keyPath: formatKeyPath(p.keyPath),
    message: p.message,
    kind: p.kind,
  }));
  throw new ConfigError(issues);
}

/** Re-reads the config's layers (only when there is something to report) to find where a key is written. */
async function locator(check: ModelsReadyCheck): Promise<(keyPath: KeyPath) => IssueLocation> {
  const file = resolve(check.cwd, check.configPath);
  const ctx: LayerContext = { env: check.env ?? process.env, issues: [], secrets: new Set() };
  try {
    const layers: ConfigLayer[] = await loadFileLayers(file, ctx);
    for (const argument of check.set ?? []) {
      const layer = parseSetOverride(argument, ctx);
      if (layer) layers.push(layer);
    }
    return (keyPath) => locateKeyPath(layers, keyPath, 'value');
  } catch {
    return () => ({ file: displayPath(file) });
  }
}

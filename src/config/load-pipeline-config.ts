import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';
import { ConfigError } from './config-error.ts';
import type { LocateMode } from './config-issue-locator.ts';
import { locateKeyPath } from './config-issue-locator.ts';
import type { KeyPath } from './config-key-path.ts';
import { formatKeyPath } from './config-key-path.ts';
import type { ConfigLayer, LayerContext } from './config-layers.ts';
import { loadFileLayers, UnsetEnvValue } from './config-layers.ts';
import { defineKey, isPlainMapping, mergeConfigTrees, setAtPath, valueAtPath } from './config-tree.ts';
import type { PipelineConfig } from './pipeline-config-schema.ts';
import { pipelineConfigSchema } from './pipeline-config-schema.ts';
import { parseSetOverride } from './set-override.ts';
import { displayPath } from './yaml-config-source.ts';
import { configIssuesFromZod } from './zod-config-issues.ts';

export interface LoadPipelineConfigOptions {
  /** `--set` arguments without the flag: `budgets.iterations=3`. Applied in order, after `extends`. */
  set?: readonly string[];
  /** Source of `${VAR}` values; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The chosen graph's options schema (from the graph registry); `options:` is validated against it. */
  optionsSchemaFor?: (graph: string) => z.ZodType | undefined;
  /**
   * The agents the chosen graph calls with these (validated) options, and the prompt roles each needs; every
   * one must be configured under `agents:` with those `prompts:`.
   */
  agentsRequiredBy?: (graph: string, options: unknown) => readonly { agent: string; prompts: readonly string[] }[];
  /** When given, `graph:` must be one of these. */
  knownGraphs?: readonly string[];
  /** Directory relative paths (prompt files) resolve against; defaults to the project root of the config. */
  baseDir?: string;
  /** Check that every `agents.*.prompts` file exists (default true). */
  checkPromptFiles?: boolean;
}

export interface LoadedConfig {
  /** Validated, defaults applied, `extends` resolved and removed, `${VAR}` expanded. */
  config: PipelineConfig;
  /** Absolute path of the config file given. */
  path: string;
  /** Directory relative paths in the config resolve against. */
  baseDir: string;
  /** Values taken from the environment by interpolation; hand them to the trajectory writer for redaction. */
  secrets: string[];
  /** `config` with every interpolated string shown as written (`${OPENAI_API_KEY}`), safe to log or record. */
  redacted: PipelineConfig;
  /** Absolute paths of the files merged, lowest priority first (the given file last); then `--set` flags. */
  sources: { files: string[]; set: string[] };
}

/**
 * Load a pipeline YAML: resolve `extends`, expand `${VAR}`, apply `--set` overrides, validate strictly.
 * Every problem found is reported at once in a {@link ConfigError}, each with file, line:column and key path.
 */
export async function loadPipelineConfig(file: string, opts: LoadPipelineConfigOptions = {}): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  const ctx: LayerContext = { env: opts.env ?? process.env, issues: [], secrets: new Set() };
  const layers: ConfigLayer[] = await loadFileLayers(absolute, ctx);
  // Without every file parsed, validating the merge would only add misleading "missing key" noise.
  if (ctx.issues.length > 0) throw new ConfigError(sortIssues(ctx.issues, opts.set));

  let merged: Record<string, unknown> = {};
  let written: Record<string, unknown> = {};
  for (const layer of layers) {
    merged = mergeConfigTrees(merged, layer.value) as Record<string, unknown>;
    written = mergeConfigTrees(written, layer.written) as Record<string, unknown>;
  }
  for (const argument of opts.set ?? []) {
    const layer = parseSetOverride(argument, ctx);
    if (!layer) continue;
    const error = setAtPath(merged, layer.path, layer.value);
    if (error !== undefined) {
      ctx.issues.push({ file: layer.flag, keyPath: formatKeyPath(layer.path), message: error, kind: 'set' });
      continue;
    }
    setAtPath(written, layer.path, layer.written);
    layers.push(layer);
  }

  const locate = (keyPath: KeyPath, mode: LocateMode) => locateKeyPath(layers, keyPath, mode);
  const envIssueCount = ctx.issues.length;
  const candidate = reportUnsetEnv(merged, [], ctx.issues);
  // A value whose variable is unset was already reported; its `${VAR}` text failing a format check is noise.
  const unsetPaths = new Set(ctx.issues.slice(envIssueCount).map((issue) => issue.keyPath));
  const parsed = pipelineConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = configIssuesFromZod(parsed.error.issues, candidate, pipelineConfigSchema, locate);
    ctx.issues.push(...issues.filter((issue) => !unsetPaths.has(issue.keyPath)));
    throw new ConfigError(sortIssues(ctx.issues, opts.set));
  }
  const config = parsed.data;
  delete config.extends;
  const baseDir = path.resolve(opts.baseDir ?? projectRoot(path.dirname(absolute)));
  const graphIssues = ctx.issues.length;
  checkGraph(config, opts, candidate, locate, ctx.issues);
  if (ctx.issues.length === graphIssues) checkRequiredAgents(config, opts, locate, ctx.issues);
  checkReferences(config, baseDir, opts.checkPromptFiles ?? true, locate, ctx.issues);
  if (ctx.issues.length > 0) throw new ConfigError(sortIssues(ctx.issues, opts.set));

  return {
    config,
    path: absolute,
    baseDir,
    secrets: [...ctx.secrets],
    redacted: restoreWritten(config, written) as PipelineConfig,
    sources: {
      files: layers.flatMap((l) => (l.kind === 'file' ? [l.source.absolutePath] : [])),
      set: layers.flatMap((l) => (l.kind === 'set' ? [l.flag] : [])),
    },
  };
}

/** Report unset variables that survived merging, and hand zod their text so type checks still apply. */
function reportUnsetEnv(node: unknown, keyPath: (string | number)[], issues: ConfigIssue[]): unknown {
  if (node instanceof UnsetEnvValue) {
    const names = node.missing.map((n) => `\${${n}}`).join(', ');
    const plural = node.missing.length > 1 ? 'variables are' : 'variable is';
    issues.push({
      ...node.at,
      keyPath: formatKeyPath(keyPath),
      message: `environment ${plural} not set: ${names} (set it, or give a default with \${NAME:-default})`,
      kind: 'env',
    });
    return node.written;
  }
  if (Array.isArray(node)) return node.map((item, i) => reportUnsetEnv(item, [...keyPath, i], issues));
  if (isPlainMapping(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node))
      defineKey(out, key, reportUnsetEnv(value, [...keyPath, key], issues));
    return out;
  }
  return node;
}

function checkGraph(
  config: PipelineConfig,
  opts: LoadPipelineConfigOptions,
  input: unknown,
  locate: (keyPath: KeyPath, mode: LocateMode) => ReturnType<typeof locateKeyPath>,
  issues: ConfigIssue[],
): void {
  if (opts.knownGraphs && !opts.knownGraphs.includes(config.graph)) {
    const known = opts.knownGraphs.length ? opts.knownGraphs.join(', ') : '(none registered)';
    issues.push({
      ...locate(['graph'], 'value'),
      keyPath: 'graph',
      message: `unknown graph "${config.graph}"; known graphs: ${known}`,
      kind: 'reference',
    });
    return;
  }
  const schema = opts.optionsSchemaFor?.(config.graph);
  if (!schema) return;
  const options = valueAtPath(input, ['options']) ?? {};
  const result = schema.safeParse(options);
  if (result.success) {
    if (isPlainMapping(result.data)) config.options = result.data;
  } else {
    issues.push(...configIssuesFromZod(result.error.issues, options, schema, locate, ['options']));
  }
}

function checkRequiredAgents(
  config: PipelineConfig,
  opts: LoadPipelineConfigOptions,
  locate: (keyPath: KeyPath, mode: LocateMode) => ReturnType<typeof locateKeyPath>,
  issues: ConfigIssue[],
): void {
  for (const { agent, prompts } of opts.agentsRequiredBy?.(config.graph, config.options) ?? []) {
    const agentConfig = config.agents[agent];
    if (!agentConfig) {
      issues.push({
        ...locate(['agents'], 'key'),
        keyPath: formatKeyPath(['agents', agent]),
        message: `graph "${config.graph}" calls agent "${agent}" with these options; configure it (model and prompts: ${prompts.join(', ')})`,
        kind: 'missing',
      });
      continue;
    }
    for (const role of prompts) {
      if (agentConfig.prompts?.[role] !== undefined) continue;
      const keyPath = ['agents', agent, ...(agentConfig.prompts ? ['prompts'] : [])];
      issues.push({
        ...locate(keyPath, 'key'),
        keyPath: formatKeyPath(['agents', agent, 'prompts', role]),
        message: `graph "${config.graph}" needs the "${role}" prompt file of agent "${agent}"`,
        kind: 'missing',
      });
    }
  }
}

function checkReferences(
  config: PipelineConfig,
  baseDir: string,
  checkPromptFiles: boolean,
  locate: (keyPath: KeyPath, mode: LocateMode) => ReturnType<typeof locateKeyPath>,
  issues: ConfigIssue[],
): void {
  const models = Object.keys(config.models);
  for (const [agent, agentConfig] of Object.entries(config.agents)) {
    const keyPath = ['agents', agent, 'model'];
    if (!Object.hasOwn(config.models, agentConfig.model)) {
      const defined = models.length ? models.join(', ') : '(none)';
      issues.push({
        ...locate(keyPath, 'value'),
        keyPath: formatKeyPath(keyPath),
        message: `unknown model "${agentConfig.model}"; models defined: ${defined}`,
        kind: 'reference',
      });
    }
    if (!checkPromptFiles) continue;
    for (const [role, file] of Object.entries(agentConfig.prompts ?? {})) {
      const resolved = path.resolve(baseDir, file);
      if (existsSync(resolved)) continue;
      const promptPath = ['agents', agent, 'prompts', role];
      issues.push({
        ...locate(promptPath, 'value'),
        keyPath: formatKeyPath(promptPath),
        message: `prompt file not found: ${displayPath(resolved)}`,
        kind: 'reference',
      });
    }
  }
}

/** The nearest ancestor holding a package.json or .git (shipped configs live in <repo>/configs); else `dir`. */
/** The nearest directory at or above `dir` holding a package.json or .git; relative config paths resolve against it. */
export function projectRoot(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'package.json')) || existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return dir;
  }
}

/** Copy of `value` where strings that were interpolated are put back as written (`${VAR}`). */
function restoreWritten(value: unknown, written: unknown): unknown {
  if (typeof value === 'string') {
    return typeof written === 'string' && written !== value && written.includes('${') ? written : value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => restoreWritten(item, Array.isArray(written) ? written[i] : undefined));
  if (isPlainMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      defineKey(
        out,
        key,
        restoreWritten(child, isPlainMapping(written) && Object.hasOwn(written, key) ? written[key] : undefined),
      );
    }
    return out;
  }
  return value;
}

/** Positioned issues first, grouped by file in order of first appearance, then by position; flags after, in argv order. */
function sortIssues(issues: readonly ConfigIssue[], setArguments: readonly string[] = []): ConfigIssue[] {
  const fileOrder = new Map<string, number>();
  for (const [i, argument] of setArguments.entries()) fileOrder.set(`--set ${argument}`, -setArguments.length + i);
  for (const issue of issues) if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, fileOrder.size);
  const rank = (issue: ConfigIssue) => [
    issue.line === undefined ? 1 : 0,
    fileOrder.get(issue.file)!,
    issue.line ?? 0,
    issue.column ?? 0,
  ];
  return issues
    .map((issue, index) => ({ key: [...rank(issue), index], issue }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
      return 0;
    })
    .map(({ issue }) => issue);
}

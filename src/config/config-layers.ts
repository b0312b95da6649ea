import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigIssue } from './config-error.ts';
import type { KeyPath } from './config-key-path.ts';
import { formatKeyPath } from './config-key-path.ts';
import { defineKey, isPlainMapping } from './config-tree.ts';
import { interpolateEnv } from './env-interpolation.ts';
import { displayPath as displayName, YamlConfigSource } from './yaml-config-source.ts';

/** Where a value came from: a file position, or a `--set` flag (no line). */
export interface IssueLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * Placeholder for a string whose `${VAR}` is unset. It is kept through merging so that only values that survive
 * into the resolved config are reported (a base file's key overridden by the extending file is never needed).
 */
export class UnsetEnvValue {
  constructor(
    readonly written: string,
    readonly missing: readonly string[],
    readonly at: IssueLocation,
  ) {}
}

export interface FileLayer {
  kind: 'file';
  source: YamlConfigSource;
  /** Interpolated content, `extends` removed. */
  value: Record<string, unknown>;
  /** Content as written (strings keep their `${VAR}` text), `extends` removed. */
  written: Record<string, unknown>;
}

export interface SetLayer {
  kind: 'set';
  /** `--set a.b=c`, as shown in messages. */
  flag: string;
  path: string[];
  value: unknown;
  written: unknown;
}

export type ConfigLayer = FileLayer | SetLayer;

export interface LayerContext {
  env: NodeJS.ProcessEnv;
  issues: ConfigIssue[];
  secrets: Set<string>;
}

/** A string/list-typed `extends:` entry and where it was written. */
interface ExtendsReference {
  source: YamlConfigSource;
  keyPath: KeyPath;
  target: string;
}

/**
 * Read `file` and, depth first, every file it `extends`, returning layers lowest priority first:
 * `extends: [a, b]` in `c` gives layers(a), layers(b), c. Problems are appended to `ctx.issues`.
 */
export async function loadFileLayers(file: string, ctx: LayerContext): Promise<FileLayer[]> {
  const absolute = path.resolve(file);
  return loadRecursively(absolute, [await canonical(absolute)], [absolute], undefined, ctx);
}

async function loadRecursively(
  absolute: string,
  stack: string[],
  stackNames: string[],
  reference: ExtendsReference | undefined,
  ctx: LayerContext,
): Promise<FileLayer[]> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    if (reference) {
      ctx.issues.push({
        ...referenceLocation(reference),
        keyPath: formatKeyPath(reference.keyPath),
        message: `cannot extend "${reference.target}": ${reason} (${displayName(absolute)})`,
        kind: 'extends',
      });
    } else {
      ctx.issues.push({
        file: displayName(absolute),
        keyPath: '(root)',
        message: `cannot read config: ${reason}`,
        kind: 'io',
      });
    }
    return [];
  }

  const source = new YamlConfigSource(absolute, text);
  const syntax = source.syntaxIssues();
  if (syntax.length > 0) {
    ctx.issues.push(...syntax);
    return [];
  }
  const rootKind = source.rootKind();
  if (rootKind !== 'mapping') {
    if (reference) {
      ctx.issues.push({
        ...referenceLocation(reference),
        keyPath: formatKeyPath(reference.keyPath),
        message: `cannot extend "${reference.target}": its top level is ${article(rootKind)}, expected a mapping`,
        kind: 'extends',
      });
    } else {
      ctx.issues.push({
        file: source.displayName,
        ...source.rootPosition(),
        keyPath: '(root)',
        message: `expected a mapping at the top level, received ${article(rootKind)}`,
        kind: 'type',
      });
    }
    return [];
  }

  const data = source.toValue();
  if ('issue' in data) {
    ctx.issues.push(data.issue);
    return [];
  }
  const written = data.value as Record<string, unknown>;
  const layers: FileLayer[] = [];
  for (const ref of extendsReferences(source, written, ctx)) {
    const target = path.resolve(path.dirname(absolute), ref.target);
    const key = await canonical(target);
    if (stack.includes(key)) {
      const chain = [...stackNames.slice(stack.indexOf(key)), target].map(displayName).join(' -> ');
      ctx.issues.push({
        ...referenceLocation(ref),
        keyPath: formatKeyPath(ref.keyPath),
        message: `extends cycle: ${chain}`,
        kind: 'extends',
      });
      continue;
    }
    layers.push(...(await loadRecursively(target, [...stack, key], [...stackNames, target], ref, ctx)));
  }
  delete written['extends'];
  const value = interpolateTree(written, [], source, ctx) as Record<string, unknown>;
  layers.push({ kind: 'file', source, value, written });
  return layers;
}

function extendsReferences(
  source: YamlConfigSource,
  tree: Record<string, unknown>,
  ctx: LayerContext,
): ExtendsReference[] {
  if (!Object.hasOwn(tree, 'extends')) return [];
  const raw = tree['extends'];
  const entries: [KeyPath, unknown][] = Array.isArray(raw)
    ? raw.map((entry, i): [KeyPath, unknown] => [['extends', i], entry])
    : [[['extends'], raw]];
  const refs: ExtendsReference[] = [];
  for (const [keyPath, entry] of entries) {
    if (typeof entry === 'string' && entry.trim() !== '') {
      refs.push({ source, keyPath, target: entry });
      continue;
    }
    const got = typeof entry === 'string' ? 'an empty string' : describe(entry);
    ctx.issues.push({
      file: source.displayName,
      ...source.lookup(keyPath).valuePosition,
      keyPath: formatKeyPath(keyPath),
      message: `expected a file path or a list of file paths, received ${got}`,
      kind: 'extends',
    });
  }
  return refs;
}

/** Expand `${VAR}` in every string of a file's tree; unset variables become {@link UnsetEnvValue}. */
export function interpolateTree(
  node: unknown,
  keyPath: (string | number)[],
  where: YamlConfigSource | IssueLocation,
  ctx: LayerContext,
): unknown {
  if (typeof node === 'string') {
    if (!node.includes('${')) return node;
    const result = interpolateEnv(node, ctx.env);
    const location = () =>
      where instanceof YamlConfigSource ? { file: where.displayName, ...where.lookup(keyPath).valuePosition } : where;
    if (result.error !== undefined) {
      ctx.issues.push({ ...location(), keyPath: formatKeyPath(keyPath), message: result.error, kind: 'env' });
      return node;
    }
    for (const secret of result.secrets) ctx.secrets.add(secret);
    return result.missing.length > 0 ? new UnsetEnvValue(node, result.missing, location()) : result.value;
  }
  if (Array.isArray(node)) return node.map((item, i) => interpolateTree(item, [...keyPath, i], where, ctx));
  if (isPlainMapping(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node))
      defineKey(out, key, interpolateTree(value, [...keyPath, key], where, ctx));
    return out;
  }
  return node;
}

function referenceLocation(ref: ExtendsReference): IssueLocation {
  return { file: ref.source.displayName, ...ref.source.lookup(ref.keyPath).valuePosition };
}

async function canonical(absolute: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch {
    return absolute;
  }
}

function article(kind: string): string {
  return kind === 'empty' ? 'an empty document' : `a ${kind}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

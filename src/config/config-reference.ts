import { z } from 'zod';
import { pipelineConfigSchema } from './pipeline-config-schema.ts';

interface JsonSchemaNode {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  format?: string;
}

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** Markdown table of every config key (type, default, description), generated from the zod schema. */
export function renderConfigReference(): string {
  const root = z.toJSONSchema(pipelineConfigSchema, { io: 'input' }) as JsonSchemaNode;
  const rows: string[] = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  walk(root, '', rows);
  return `${rows.join('\n')}\n`;
}

function walk(node: JsonSchemaNode, prefix: string, rows: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    const required = node.required?.includes(key) ?? false;
    const fallback =
      child.default === undefined
        ? required
          ? 'required'
          : '—'
        : child.properties && Object.keys(child.default as object).length > 0
          ? 'see keys below'
          : `\`${JSON.stringify(child.default)}\``;
    rows.push(`| \`${keyPath}\` | ${typeText(child)} | ${fallback} | ${escapeCell(child.description ?? '')} |`);
    if (child.properties) walk(child, keyPath, rows);
    else if (isSchema(child.additionalProperties) && child.additionalProperties.properties) {
      walk(child.additionalProperties, `${keyPath}.<name>`, rows);
    }
  }
}

function typeText(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (node.anyOf) return node.anyOf.map(typeText).join(' or ');
  switch (node.type) {
    case 'array':
      return `list of ${node.items ? typeText(node.items) : 'any'}`;
    case 'object':
      if (node.properties) return 'mapping';
      return isSchema(node.additionalProperties) && Object.keys(node.additionalProperties).length > 0
        ? `mapping of name → ${node.additionalProperties.properties ? 'mapping' : typeText(node.additionalProperties)}`
        : 'mapping';
    case undefined:
      return 'any';
    default:
      return `${node.type}${bounds(node)}`;
  }
}

function bounds(node: JsonSchemaNode): string {
  const parts: string[] = [];
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined && node.minimum > -UNBOUNDED) parts.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined && node.maximum < UNBOUNDED) parts.push(`≤ ${node.maximum}`);
  if (node.minLength) parts.push('non-empty');
  if (node.format) parts.push(node.format);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function isSchema(value: unknown): value is JsonSchemaNode {
  return typeof value === 'object' && value !== null;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

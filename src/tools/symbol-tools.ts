import { z } from 'zod';
import type { SymbolTag } from '../context/repo-map.ts';
import { defineTool, type ToolWorkspace } from './exploration-tool.ts';
import { readWorktreeText } from './read-worktree-file.ts';
import { toolOk } from './tool-result.ts';

const MAX_TAGS = 100;

/** Definitions whose name contains the query (case-insensitive), from the repository map. */
export const findSymbolTool = defineTool({
  name: 'find_symbol',
  description:
    'Search the repository map for definitions (functions, classes, methods, ...) whose name contains the ' +
    'query, ignoring case. Answers "path:line kind name".',
  arguments: z.object({ query: z.string().min(1).describe('part of a symbol name') }).strict(),
  async run(args, workspace) {
    const map = await workspace.repoMap();
    const query = args.query.toLowerCase();
    const found: SymbolTag[] = [];
    for (const path of map.files)
      for (const tag of map.tagsOf(path))
        if (tag.role === 'definition' && tag.name.toLowerCase().includes(query)) found.push(tag);
    if (found.length === 0) return toolOk(`no definition whose name contains ${JSON.stringify(args.query)}`);
    const shown = found.slice(0, MAX_TAGS).map((t) => `${t.path}:${t.line} ${t.kind} ${t.name}`);
    return toolOk(`${found.length} definitions\n${shown.join('\n')}${moreLine(found.length)}`);
  },
});

export const findDefinitionTool = defineTool({
  name: 'find_definition',
  description:
    'Where a symbol (function, class, method, variable) is defined, from the repository map: ' +
    '"path:line kind name" and the source line.',
  arguments: z.object({ name: z.string().min(1).describe('the exact symbol name, e.g. "mean"') }).strict(),
  async run(args, workspace) {
    const tags = (await workspace.repoMap()).definitions(args.name);
    if (tags.length === 0) return toolOk(`no definition of ${JSON.stringify(args.name)} in the repository map`);
    return toolOk(`${tags.length} definitions of ${args.name}\n${withSource(tags, workspace)}${moreLine(tags.length)}`);
  },
});

export const findReferencesTool = defineTool({
  name: 'find_references',
  description:
    'Where a symbol is used (calls, imports, ...), from the repository map: "path:line kind" and the source line.',
  arguments: z.object({ name: z.string().min(1).describe('the exact symbol name') }).strict(),
  async run(args, workspace) {
    const tags = (await workspace.repoMap()).references(args.name);
    if (tags.length === 0) return toolOk(`no reference to ${JSON.stringify(args.name)} in the repository map`);
    return toolOk(`${tags.length} references to ${args.name}\n${withSource(tags, workspace)}${moreLine(tags.length)}`);
  },
});

function moreLine(count: number): string {
  return count > MAX_TAGS ? `\n... ${count - MAX_TAGS} more` : '';
}

/** Each tag with its source line (read through the worktree checks, like every tool read). */
function withSource(tags: SymbolTag[], workspace: ToolWorkspace): string {
  const cache = new Map<string, string[] | undefined>();
  return tags
    .slice(0, MAX_TAGS)
    .map((tag) => {
      if (!cache.has(tag.path)) {
        const file = readWorktreeText(workspace.root, tag.path);
        cache.set(tag.path, file.ok ? file.text.split(/\r?\n/) : undefined);
      }
      const line = cache.get(tag.path)?.[tag.line - 1]?.trim() ?? '';
      return `${tag.path}:${tag.line} ${tag.kind}${tag.role === 'definition' ? ` ${tag.name}` : ''}: ${line.slice(0, 200)}`;
    })
    .join('\n');
}

import { z } from 'zod';
import type { ToolCall, ToolDefinition } from '../models/model-types.ts';
import type { ExplorationTool, ToolWorkspace } from './exploration-tool.ts';
import { listDirTool } from './list-dir-tool.ts';
import { openFileTool } from './open-file-tool.ts';
import { searchCodeTool } from './search-code-tool.ts';
import { findDefinitionTool, findReferencesTool, findSymbolTool } from './symbol-tools.ts';
import { type ToolResult, toolError } from './tool-result.ts';

/** Every exploration tool, in the order the model is shown them. */
export const EXPLORATION_TOOLS: readonly ExplorationTool[] = [
  searchCodeTool,
  findSymbolTool,
  openFileTool,
  listDirTool,
  findDefinitionTool,
  findReferencesTool,
] as unknown as readonly ExplorationTool[];

/** Results longer than this are cut (with a note saying so), so one call cannot flood the context. */
export const MAX_TOOL_RESULT_CHARS = 16_000;

/** The model-facing definition of a tool: its zod argument schema as JSON Schema. */
export function toolDefinition(tool: ExplorationTool): ToolDefinition {
  const { $schema: _drop, ...parameters } = z.toJSONSchema(tool.arguments) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

/**
 * The exploration tools over one worktree: their definitions for the model, and `run` for a tool call the
 * model made. Unknown tools, arguments that are not JSON or do not fit the schema, and paths outside the
 * worktree all come back as error results the model can read, never as exceptions.
 */
export class ExplorationToolbox {
  readonly definitions: ToolDefinition[];
  private readonly byName: Map<string, ExplorationTool>;

  constructor(
    private readonly workspace: ToolWorkspace,
    tools: readonly ExplorationTool[] = EXPLORATION_TOOLS,
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
    this.definitions = tools.map(toolDefinition);
  }

  async run(call: Pick<ToolCall, 'name' | 'arguments'>): Promise<ToolResult> {
    const tool = this.byName.get(call.name);
    if (!tool)
      return toolError(
        `no tool named ${JSON.stringify(call.name)}; the tools are ${[...this.byName.keys()].join(', ')}`,
      );
    let raw: unknown;
    try {
      raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return toolError(`the arguments of ${call.name} are not JSON: ${call.arguments.slice(0, 200)}`);
    }
    const parsed = tool.arguments.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`);
      return toolError(`${call.name}: ${problems.join('; ')}`);
    }
    const result = await tool.run(parsed.data, this.workspace);
    if (result.content.length <= MAX_TOOL_RESULT_CHARS) return result;
    return {
      ...result,
      content: `${result.content.slice(0, MAX_TOOL_RESULT_CHARS)}\n... result cut at ${MAX_TOOL_RESULT_CHARS} characters; ask for less`,
    };
  }
}

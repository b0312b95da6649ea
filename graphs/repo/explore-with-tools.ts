import { buildRepoMap, type RepoMap } from '../../src/context/repo-map.ts';
import type { ModelReply } from '../../src/models/model-types.ts';
import { type AgentCall, callAgent } from '../../src/runtime/call-agent.ts';
import type { RunContext } from '../../src/runtime/run-context.ts';
import type { ToolWorkspace } from '../../src/tools/exploration-tool.ts';
import { ExplorationToolbox } from '../../src/tools/exploration-toolbox.ts';
import { runToolLoop } from '../../src/tools/run-tool-loop.ts';
import { listTrackedFiles } from './repo-files.ts';
import type { RepoOptions } from './repo-options.ts';
import type { RepoTask } from './repo-task.ts';

/** The repo run's context (as repo-graph.ts's RepoContext, named here without importing the graph). */
type RepoContext = RunContext<RepoTask, RepoOptions>;

/** What the exploration tools read: the worktree as it is now, with the files the run created. */
export function toolWorkspace(ctx: RepoContext, dir: string, changedFiles: string[]): ToolWorkspace {
  let map: Promise<RepoMap> | undefined;
  const files = async () => {
    const tracked = await listTrackedFiles(dir);
    return [...tracked, ...changedFiles.filter((p) => !tracked.includes(p))];
  };
  return {
    root: dir,
    listFiles: files,
    repoMap: () => {
      map ??= files().then((list) => buildRepoMap(dir, { files: list, signal: ctx.signal }));
      return map;
    },
  };
}

/** The text telling an agent it may explore (the `{{tools}}` placeholder of the planner and coder prompts). */
export function toolsNote(ctx: RepoContext): string {
  if (!ctx.options.tools) return '';
  return (
    'You can call tools to explore the repository before you answer: search_code (regex), find_symbol, ' +
    'open_file (a line range, with line numbers), list_dir, find_definition and find_references. Files above ' +
    'are shown whole or in part; open what you need instead of guessing. ' +
    `At most ${ctx.options.maxToolRounds} rounds of tool calls; then answer.\n`
  );
}

/**
 * One planner or coder call with the exploration tools (when `options.tools`): the tool loop of
 * src/tools/run-tool-loop.ts, each round a recorded model call under the budgets, each tool call a recorded
 * step (`tool`: replayed from the trajectory with `--exec recorded`, rerun and compared with `--exec live`).
 */
export async function callAgentExploring(
  ctx: RepoContext,
  call: AgentCall,
  workspace: ToolWorkspace,
): Promise<ModelReply> {
  if (!ctx.options.tools) return callAgent(ctx, call);
  const toolbox = new ExplorationToolbox(workspace);
  const outcome = await runToolLoop({
    maxRounds: ctx.options.maxToolRounds,
    ask: (continuation, toolChoice) =>
      callAgent(ctx, {
        ...call,
        continuation,
        tools: toolbox.definitions,
        ...(toolChoice === 'none' ? { toolChoice } : {}),
      }),
    runTool: (toolCall) => {
      ctx.signal.throwIfAborted();
      ctx.budget.checkTime();
      return ctx.recordedStep('tool', { agent: call.agent, name: toolCall.name, arguments: toolCall.arguments }, () =>
        toolbox.run(toolCall),
      );
    },
  });
  if (outcome.toolCalls > 0)
    ctx.progress.update({
      node: ctx.currentNode.name,
      message: `${outcome.toolCalls} tool calls in ${outcome.modelCalls - 1} rounds`,
    });
  return outcome.reply;
}

import type { ChatMessage, ModelParams, ModelReply, ToolChoice, ToolDefinition } from '../models/model-types.ts';
import { PromptError } from './prompt-error.ts';
import { loadPromptTemplate, renderPrompt } from './prompt-template.ts';
import type { AnyRunContext } from './run-context.ts';

export interface AgentCall {
  agent: string;
  /** Values for the `{{placeholders}}` of the agent's prompt files. */
  vars: Record<string, string>;
  /** Earlier turns inserted between the system prompt and the rendered user prompt. */
  history?: ChatMessage[];
  params?: ModelParams;
  recordKey?: string;
  /** Turns after the rendered user prompt: a tool loop's assistant tool calls and tool results. */
  continuation?: ChatMessage[];
  /** Tools offered through the provider's tool-calling API (see src/tools/run-tool-loop.ts). */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
}

/**
 * Renders an agent's prompt files (config `agents.<agent>.prompts`: `system` and `user`) and calls the
 * agent's model. Prompt files are read on every call, so an edited prompt shows up as a replay divergence.
 */
export async function callAgent(ctx: AnyRunContext, call: AgentCall): Promise<ModelReply> {
  const agentConfig = ctx.config.agents[call.agent];
  if (!agentConfig) throw new PromptError('config', `agents.${call.agent} is not configured`);
  const prompts = agentConfig.prompts ?? {};
  const messages: ChatMessage[] = [];
  if (prompts.system)
    messages.push({
      role: 'system',
      content: renderPrompt(loadPromptTemplate(prompts.system, ctx.baseDir), call.vars),
    });
  messages.push(...(call.history ?? []));
  if (!prompts.user) throw new PromptError('config', `agents.${call.agent}.prompts.user is not configured`);
  messages.push({ role: 'user', content: renderPrompt(loadPromptTemplate(prompts.user, ctx.baseDir), call.vars) });
  messages.push(...(call.continuation ?? []));
  const model = ctx.modelFor(call.agent);
  return model.client.call(
    {
      provider: model.provider as never,
      model: model.model,
      messages,
      params: { ...(model.params as ModelParams), ...(agentConfig.params ?? {}), ...(call.params ?? {}) },
      agent: call.agent,
      ...(call.recordKey !== undefined ? { recordKey: call.recordKey } : {}),
      ...(call.tools !== undefined && call.tools.length > 0 ? { tools: call.tools } : {}),
      ...(call.toolChoice !== undefined ? { toolChoice: call.toolChoice } : {}),
    },
    { signal: ctx.signal },
  );
}

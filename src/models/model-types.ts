import type { ModelParams } from './model-params-schema.ts';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** One tool call a model asked for. `arguments` is the JSON text of the arguments, as the model wrote it. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** `assistant` only: the tool calls of this turn (OpenAI `tool_calls`, Anthropic `tool_use` blocks). */
  toolCalls?: ToolCall[];
  /** `tool` only: the id of the call this message answers (OpenAI `tool_call_id`, Anthropic `tool_use_id`). */
  toolCallId?: string;
  /** `tool` only: the tool failed; `content` says why (Anthropic `is_error`). */
  isError?: boolean;
}

/** A tool the model may call: a name, what it does, and a JSON Schema (type object) for its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** `auto`: the model decides; `none`: it must answer in text (the tools stay declared). */
export type ToolChoice = 'auto' | 'none';

export type { ModelParams };

export const PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'recorded'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface ModelRequest {
  provider: ProviderName;
  model: string;
  messages: ChatMessage[];
  params: ModelParams;
  /** Which agent asked (planner, coder, tester, critic): used for replay matching and reports. */
  agent: string;
  /** Free-form key that recorded-output sources use to join a request to its recording (e.g. a task id). */
  recordKey?: string;
  /** Tools offered through the provider's own tool-calling API. */
  tools?: ToolDefinition[];
  /** Default `auto` when `tools` is set. */
  toolChoice?: ToolChoice;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelReply {
  /** One text per choice (n). */
  texts: string[];
  finishReasons: string[];
  usage: TokenUsage;
  costUsd: number;
  /** HTTP attempts made, retries included. */
  attempts: number;
  latencyMs: number;
  model: string;
  /** Only when the request offered tools: the tool calls of each choice (empty when it answered in text). */
  toolCalls?: ToolCall[][];
}

/** Anything that answers a model request: a provider, a recorder, a replayer, a recorded-output source. */
export interface ModelClient {
  call(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply>;
}

import type { ModelParams } from './model-params-schema.ts';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

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
}

/** Anything that answers a model request: a provider, a recorder, a replayer, a recorded-output source. */
export interface ModelClient {
  call(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply>;
}

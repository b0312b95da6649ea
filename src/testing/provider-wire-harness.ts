/**
 * How to drive one provider against a local server speaking its wire format, so the same scenarios
 * (provider-wire-scenarios.ts, provider-conformance.ts) run for every HTTP provider. Refinery ships one
 * for each of `openai`, `anthropic` and `openai-compatible`; a provider with a new wire format brings
 * its own (a server under wire-servers/ plus one of these).
 */
import { type ModelConfig, modelConfigSchema, type Price } from '../config/pipeline-config-schema.ts';
import type { ModelRequest, ProviderName } from '../models/model-types.ts';
import {
  type AnthropicScript,
  anthropicError,
  anthropicMessage,
  anthropicMessageStream,
  startAnthropicWireServer,
} from './wire-servers/anthropic-wire-server.ts';
import {
  type OpenAiScript,
  openAiChatCompletion,
  openAiChatStream,
  openAiError,
  type RecordedRequest,
  startOpenAiWireServer,
  type TextReply,
  type WireReply,
  type WireUsage,
} from './wire-servers/openai-wire-server.ts';

export interface HarnessServer {
  baseUrl: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export interface StreamShape {
  stopAfter?: number;
  afterStop?: 'end' | 'stall' | 'cut';
}

export interface ProviderWireHarness {
  /** The provider name requests carry and structured errors report. */
  provider: ProviderName;
  /** A model name the built-in price table knows (openai-compatible: none, so tests pass `pricing`). */
  pricedModel: string;
  /** Extra prices the tests pass as config `pricing`. */
  pricing: Record<string, Price>;
  finishReason: string;
  /** Whether one request can ask for `n` choices; if not, the client sends one request per choice. */
  supportsChoices: boolean;
  start(script: { replies?: (WireReply | TextReply)[]; respond?: () => TextReply }): Promise<HarnessServer>;
  plain(text: string, usage?: WireUsage): WireReply;
  stream(text: string, shape?: StreamShape & { usage?: WireUsage }): WireReply;
  /** Number of frames in a full stream of `text` that precede any finish marker. */
  framesBeforeFinish(text: string): number;
  error(status: number, headers?: Record<string, string>): WireReply;
  /** Whether a streamed request body asks the server for token usage (openai needs `stream_options`). */
  streamAsksForUsage(body: unknown): boolean;
  config(baseUrl: string, overrides?: Partial<ModelConfig>): ModelConfig;
}

export function request(model: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    provider: 'openai',
    model,
    messages: [
      { role: 'system', content: 'You write Python.' },
      { role: 'user', content: 'Write f.' },
    ],
    params: {},
    agent: 'coder',
    ...overrides,
  };
}

function parseConfig(values: Record<string, unknown>): ModelConfig {
  return modelConfigSchema.parse(values);
}

const openAiLike = (provider: 'openai' | 'openai-compatible'): ProviderWireHarness => ({
  provider,
  pricedModel: provider === 'openai' ? 'gpt-4o-mini' : 'local-coder',
  pricing: provider === 'openai' ? {} : { 'local-coder': { inputPerMTok: 0.5, outputPerMTok: 1.5 } },
  finishReason: 'stop',
  supportsChoices: true,
  start: (script) => startOpenAiWireServer(script as OpenAiScript),
  plain: (text, usage) => openAiChatCompletion(text, usage ? { usage } : {}),
  stream: (text, shape = {}) => openAiChatStream(text, shape),
  // role chunk + one chunk per piece
  framesBeforeFinish: (text) => 1 + (text.match(/\S+\s*|\s+/g) ?? ['']).length,
  error: (status, headers) => openAiError(status, `status ${status}`, headers),
  streamAsksForUsage: (body) =>
    (body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage === true,
  config: (baseUrl, overrides = {}) =>
    parseConfig({
      provider,
      name: provider === 'openai' ? 'gpt-4o-mini' : 'local-coder',
      baseUrl,
      ...(provider === 'openai' ? { apiKey: 'sk-test' } : {}),
      ...overrides,
    }),
});

export const openAiHarness = openAiLike('openai');
export const openAiCompatibleHarness = openAiLike('openai-compatible');

export const anthropicHarness: ProviderWireHarness = {
  provider: 'anthropic',
  pricedModel: 'claude-haiku-4-5',
  pricing: {},
  finishReason: 'end_turn',
  supportsChoices: false,
  start: (script) => startAnthropicWireServer(script as AnthropicScript),
  plain: (text, usage) => anthropicMessage(text, usage ? { usage } : {}),
  stream: (text, shape = {}) => anthropicMessageStream(text, shape),
  // message_start, content_block_start, ping + one delta per piece
  framesBeforeFinish: (text) => 3 + (text.match(/\S+\s*|\s+/g) ?? ['']).length,
  error: (status, headers) =>
    anthropicError(
      status,
      status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error',
      `status ${status}`,
      headers,
    ),
  // message_start and message_delta always carry usage
  streamAsksForUsage: () => true,
  config: (baseUrl, overrides = {}) =>
    parseConfig({ provider: 'anthropic', name: 'claude-haiku-4-5', baseUrl, apiKey: 'sk-ant-test', ...overrides }),
};

import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  RawMessageStreamEvent,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ModelConfig } from '../../config/pipeline-config-schema.ts';
import { AttemptTimer } from '../attempt-timer.ts';
import { ModelConfigError } from '../model-config-error.ts';
import { ModelResponseError } from '../model-response-error.ts';
import type { ChatMessage, ToolCall } from '../model-types.ts';
import { type AttemptContext, translateSdkError } from '../translate-sdk-error.ts';
import type { ChatProvider, ProviderAttemptInput, ProviderAttemptResult, ProviderSettings } from './chat-provider.ts';
import { LazySdkClient, sdkClientOptions } from './lazy-sdk-client.ts';
import { asRecord, snippet, tokenCount } from './reply-fields.ts';
import { anthropicToolUseSchema, argumentsObject, parseToolCall } from './tool-call-fields.ts';

/** Anthropic requires `max_tokens`; used when the config sets no `params.maxTokens`. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * Messages API through the official `@anthropic-ai/sdk`, one HTTP attempt per `attempt()`. No `n`. The SDK (some
 * 250 modules) is imported by the first attempt, not when the provider is created: a config check or a run whose
 * models are all recorded never loads it.
 */
export class AnthropicProvider implements ChatProvider {
  readonly provider = 'anthropic' as const;
  readonly supportsChoices = false;
  private readonly sdk: LazySdkClient<typeof AnthropicSdk, AnthropicSdk.Anthropic>;

  constructor(
    apiKey: string,
    private readonly configuredBaseUrl: string | undefined,
    private readonly settings: ProviderSettings,
  ) {
    this.sdk = new LazySdkClient(
      () => import('@anthropic-ai/sdk'),
      (sdk, options) => new sdk.Anthropic(options),
      sdkClientOptions(apiKey, configuredBaseUrl, settings.timeoutMs),
    );
  }

  /** The SDK client's base URL once an attempt has created it; before that, the configured one or the SDK's default. */
  get baseUrl(): string {
    return (
      this.sdk.current?.baseURL ??
      this.configuredBaseUrl ??
      process.env['ANTHROPIC_BASE_URL'] ??
      'https://api.anthropic.com'
    );
  }

  async attempt(input: ProviderAttemptInput): Promise<ProviderAttemptResult> {
    const { client, sdk: errors } = await this.sdk.load();
    const timer = new AttemptTimer(input.signal);
    const ctx: AttemptContext = {
      provider: this.provider,
      model: input.model,
      attempt: input.attempt,
      baseUrl: this.baseUrl,
      configPath: this.settings.configPath,
      apiKeyEnv: 'ANTHROPIC_API_KEY',
      timer,
      callerSignal: input.signal,
      sdkErrors: errors,
    };
    const body = requestBody(input);
    const options = { signal: timer.signal, headers: { 'X-Stainless-Retry-Count': String(input.attempt - 1) } };
    try {
      if (!this.settings.stream) {
        timer.arm('response', this.settings.timeoutMs);
        const data: unknown = await timer.race(client.messages.create({ ...body, stream: false }, options));
        return parseMessage(data, ctx);
      }
      timer.arm('headers', this.settings.timeoutMs);
      const stream = await timer.race(client.messages.create({ ...body, stream: true }, options));
      timer.disarm();
      return await collectStream(timer.idleLimited(stream, this.settings.idleTimeoutMs), ctx);
    } catch (error) {
      throw translateSdkError(error, ctx);
    } finally {
      timer.close();
    }
  }
}

function requestBody(input: ProviderAttemptInput): MessageCreateParamsBase {
  const { params } = input;
  const system = input.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const messages = toAnthropicMessages(input.messages.filter((m) => m.role !== 'system'));
  const tools = input.tools?.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters as { type: 'object'; [key: string]: unknown },
  }));
  return {
    model: input.model,
    max_tokens: params.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
    ...(tools && tools.length > 0 ? { tools, tool_choice: { type: input.toolChoice ?? 'auto' } } : {}),
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    ...(params.temperature !== undefined ? { temperature: Math.min(params.temperature, 1) } : {}),
    ...(params.topP !== undefined ? { top_p: params.topP } : {}),
    ...(params.stop !== undefined && params.stop.length > 0 ? { stop_sequences: params.stop } : {}),
  };
}

/**
 * Chat messages in Anthropic's format: an assistant turn's tool calls become `tool_use` blocks after its text,
 * and the results that answer them (consecutive `tool` messages) become one user turn of `tool_result` blocks,
 * which the API requires right after the `tool_use` turn.
 */
function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      const block: ToolResultBlockParam = {
        type: 'tool_result',
        tool_use_id: m.toolCallId ?? '',
        content: m.content,
        ...(m.isError ? { is_error: true } : {}),
      };
      const last = out.at(-1);
      if (last?.role === 'user' && Array.isArray(last.content) && last.content.every((b) => b.type === 'tool_result'))
        last.content.push(block);
      else out.push({ role: 'user', content: [block] });
    } else if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
      const content: ContentBlockParam[] = m.content.trim() === '' ? [] : [{ type: 'text', text: m.content }];
      for (const call of m.toolCalls)
        content.push({ type: 'tool_use', id: call.id, name: call.name, input: argumentsObject(call.arguments) });
      out.push({ role: 'assistant', content });
    } else {
      out.push({ role: m.role === 'assistant' ? 'assistant' : 'user', content: m.content });
    }
  }
  return out;
}

const toToolCall = (block: { id: string; name: string; input: Record<string, unknown> }): ToolCall => ({
  id: block.id,
  name: block.name,
  arguments: JSON.stringify(block.input),
});

/** Anthropic bills cache writes and reads as input too; all of it counts against the token budget. */
function inputTokensOf(usage: Record<string, unknown> | undefined): number {
  return (
    tokenCount(usage?.['input_tokens']) +
    tokenCount(usage?.['cache_creation_input_tokens']) +
    tokenCount(usage?.['cache_read_input_tokens'])
  );
}

function parseMessage(data: unknown, ctx: AttemptContext): ProviderAttemptResult {
  if (typeof data === 'string') {
    throw new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: ${ctx.baseUrl} answered with a non-JSON body (${snippet(data)}); ` +
        `check ${ctx.configPath}.baseUrl (the API root, without /v1)`,
      { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: false, problem: 'not-json' },
    );
  }
  const record = asRecord(data);
  const content = record?.['content'];
  if (!record || !Array.isArray(content)) throw unexpectedShape(data, ctx);
  const text = content
    .map(asRecord)
    .filter((block) => block?.['type'] === 'text' && typeof block['text'] === 'string')
    .map((block) => block?.['text'] as string)
    .join('');
  const toolCalls = content
    .filter((block) => asRecord(block)?.['type'] === 'tool_use')
    .map((block) => parseToolCall(anthropicToolUseSchema, block, ctx, toToolCall));
  const stop = record['stop_reason'];
  const usage = asRecord(record['usage']);
  return {
    texts: [text],
    finishReasons: [typeof stop === 'string' ? stop : 'unknown'],
    usage: { inputTokens: inputTokensOf(usage), outputTokens: tokenCount(usage?.['output_tokens']) },
    usageReported: usage !== undefined,
    model: typeof record['model'] === 'string' ? record['model'] : undefined,
    ...(toolCalls.length > 0 ? { toolCalls: [toolCalls] } : {}),
  };
}

async function collectStream(
  events: AsyncIterable<RawMessageStreamEvent>,
  ctx: AttemptContext,
): Promise<ProviderAttemptResult> {
  let text = '';
  let stopReason: string | undefined;
  let inputTokens = 0;
  let outputTokens = 0;
  let usageReported = false;
  let model: string | undefined;
  // tool_use blocks by content index: started with id and name, their input streamed as JSON text.
  const toolBlocks = new Map<number, { block: Record<string, unknown>; json: string }>();
  for await (const event of events) {
    const record = asRecord(event);
    if (!record) throw unexpectedShape(event, ctx);
    switch (record['type']) {
      case 'message_start': {
        const message = asRecord(record['message']);
        const usage = asRecord(message?.['usage']);
        if (typeof message?.['model'] === 'string') model = message['model'];
        if (usage) {
          usageReported = true;
          inputTokens = inputTokensOf(usage);
          outputTokens = tokenCount(usage['output_tokens']);
        }
        break;
      }
      case 'content_block_start': {
        const block = asRecord(record['content_block']);
        if (block?.['type'] === 'tool_use') toolBlocks.set(Number(record['index']), { block, json: '' });
        break;
      }
      case 'content_block_delta': {
        const delta = asRecord(record['delta']);
        if (delta?.['type'] === 'text_delta' && typeof delta['text'] === 'string') text += delta['text'];
        const tool = toolBlocks.get(Number(record['index']));
        if (tool && delta?.['type'] === 'input_json_delta' && typeof delta['partial_json'] === 'string')
          tool.json += delta['partial_json'];
        break;
      }
      case 'message_delta': {
        const delta = asRecord(record['delta']);
        if (typeof delta?.['stop_reason'] === 'string') stopReason = delta['stop_reason'];
        // message_delta usage is cumulative.
        const usage = asRecord(record['usage']);
        if (usage) {
          usageReported = true;
          if (usage['output_tokens'] !== undefined) outputTokens = tokenCount(usage['output_tokens']);
          if (usage['input_tokens'] != null) inputTokens = Math.max(inputTokens, inputTokensOf(usage));
        }
        break;
      }
      default:
        break;
    }
  }
  if (ctx.timer.fired) throw ctx.timer.fired;
  if (stopReason === undefined) {
    throw new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: the stream from ${ctx.baseUrl} ended without a stop_reason; ` +
        `the partial answer was discarded`,
      { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: true, problem: 'truncated' },
    );
  }
  const toolCalls = [...toolBlocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { block, json }]) =>
      parseToolCall(
        anthropicToolUseSchema,
        { ...block, input: json === '' ? {} : parseJsonInput(json, ctx) },
        ctx,
        toToolCall,
      ),
    );
  return {
    texts: [text],
    finishReasons: [stopReason],
    usage: { inputTokens, outputTokens },
    usageReported,
    model,
    ...(toolCalls.length > 0 ? { toolCalls: [toolCalls] } : {}),
  };
}

function parseJsonInput(json: string, ctx: AttemptContext): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: a streamed tool_use input from ${ctx.baseUrl} is not JSON (${snippet(json)})`,
      { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: false, problem: 'malformed-json' },
    );
  }
}

function unexpectedShape(data: unknown, ctx: AttemptContext): ModelResponseError {
  return new ModelResponseError(
    `${ctx.provider} model ${ctx.model}: the reply from ${ctx.baseUrl} is not a message (${snippet(JSON.stringify(data) ?? String(data))})`,
    { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: false, problem: 'unexpected-shape' },
  );
}

/** The `anthropic` provider: api.anthropic.com (or `baseUrl`), key from config or ANTHROPIC_API_KEY. */
export function createAnthropicProvider(config: ModelConfig, settings: ProviderSettings): AnthropicProvider {
  const apiKey = config.apiKey || process.env['ANTHROPIC_API_KEY'];
  if (!apiKey) {
    throw new ModelConfigError(
      `model ${config.name} (provider anthropic) has no API key: set ${settings.configPath}.apiKey ` +
        `(e.g. apiKey: \${ANTHROPIC_API_KEY}) or the ANTHROPIC_API_KEY environment variable`,
      'anthropic',
      config.name,
      `${settings.configPath}.apiKey`,
    );
  }
  return new AnthropicProvider(apiKey, config.baseUrl, settings);
}

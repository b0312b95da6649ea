import type * as OpenAiSdk from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ModelConfig } from '../../config/pipeline-config-schema.ts';
import { AttemptTimer } from '../attempt-timer.ts';
import { ModelConfigError } from '../model-config-error.ts';
import { ModelResponseError } from '../model-response-error.ts';
import type { ChatMessage, ProviderName, ToolCall } from '../model-types.ts';
import { type AttemptContext, translateSdkError } from '../translate-sdk-error.ts';
import type { ChatProvider, ProviderAttemptInput, ProviderAttemptResult, ProviderSettings } from './chat-provider.ts';
import { LazySdkClient, sdkClientOptions } from './lazy-sdk-client.ts';
import { asRecord, tokenCount as count, snippet } from './reply-fields.ts';
import { openAiToolCallSchema, parseToolCall } from './tool-call-fields.ts';

/** What differs between OpenAI itself and servers that speak its chat-completions format. */
export interface OpenAiFlavor {
  provider: Extract<ProviderName, 'openai' | 'openai-compatible'>;
  /** OpenAI's current models reject `max_tokens`; local servers know only `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  apiKeyEnv?: string | undefined;
}

/**
 * Chat completions through the official `openai` SDK, one HTTP attempt per `attempt()`. The SDK (some 150
 * modules) is imported by the first attempt, not when the provider is created: a config check or a run whose
 * models are all recorded never loads it.
 */
export class OpenAiChatProvider implements ChatProvider {
  readonly provider: OpenAiFlavor['provider'];
  readonly supportsChoices = true;
  private readonly sdk: LazySdkClient<typeof OpenAiSdk, OpenAiSdk.OpenAI>;

  constructor(
    apiKey: string,
    private readonly configuredBaseUrl: string | undefined,
    private readonly flavor: OpenAiFlavor,
    private readonly settings: ProviderSettings,
  ) {
    this.provider = flavor.provider;
    this.sdk = new LazySdkClient(
      () => import('openai'),
      (sdk, options) => new sdk.OpenAI(options),
      sdkClientOptions(apiKey, configuredBaseUrl, settings.timeoutMs),
    );
  }

  /** The SDK client's base URL once an attempt has created it; before that, the configured one or the SDK's default. */
  get baseUrl(): string {
    return (
      this.sdk.current?.baseURL ??
      this.configuredBaseUrl ??
      process.env['OPENAI_BASE_URL'] ??
      'https://api.openai.com/v1'
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
      apiKeyEnv: this.flavor.apiKeyEnv,
      timer,
      callerSignal: input.signal,
      sdkErrors: errors,
    };
    const body = this.requestBody(input);
    const options = { signal: timer.signal, headers: { 'X-Stainless-Retry-Count': String(input.attempt - 1) } };
    try {
      if (!this.settings.stream) {
        timer.arm('response', this.settings.timeoutMs);
        const data: unknown = await timer.race(client.chat.completions.create({ ...body, stream: false }, options));
        return parseCompletion(data, input.choices, ctx);
      }
      timer.arm('headers', this.settings.timeoutMs);
      const stream = await timer.race(
        client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, options),
      );
      timer.disarm();
      return await collectStream(timer.idleLimited(stream, this.settings.idleTimeoutMs), input.choices, ctx);
    } catch (error) {
      throw translateSdkError(error, ctx);
    } finally {
      timer.close();
    }
  }

  private requestBody(input: ProviderAttemptInput): ChatCompletionCreateParamsBase {
    const { params } = input;
    const messages = input.messages.map(toOpenAiMessage);
    const tools: ChatCompletionTool[] | undefined = input.tools?.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    return {
      model: input.model,
      messages,
      ...(tools && tools.length > 0 ? { tools, tool_choice: input.toolChoice ?? 'auto' } : {}),
      ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
      ...(params.topP !== undefined ? { top_p: params.topP } : {}),
      ...(params.maxTokens !== undefined ? { [this.flavor.maxTokensField]: params.maxTokens } : {}),
      ...(params.stop !== undefined && params.stop.length > 0 ? { stop: params.stop } : {}),
      ...(params.seed !== undefined ? { seed: params.seed } : {}),
      ...(input.choices > 1 ? { n: input.choices } : {}),
    };
  }
}

/** Chat messages in OpenAI's format: tool calls on the assistant turn, one `tool` message per result. */
function toOpenAiMessage(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
  if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0)
    return {
      role: 'assistant',
      content: m.content === '' ? null : m.content,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  return { role: m.role, content: m.content };
}

const toToolCall = (c: { id: string; function: { name: string; arguments: string } }): ToolCall => ({
  id: c.id,
  name: c.function.name,
  arguments: c.function.arguments,
});

function parseCompletion(data: unknown, wanted: number, ctx: AttemptContext): ProviderAttemptResult {
  if (typeof data === 'string') {
    throw new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: ${ctx.baseUrl} answered with a non-JSON body (${snippet(data)}); ` +
        `check ${ctx.configPath}.baseUrl points at the API root (e.g. http://127.0.0.1:11434/v1)`,
      { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: false, problem: 'not-json' },
    );
  }
  const record = asRecord(data);
  const choices = record?.['choices'];
  if (!record || !Array.isArray(choices) || choices.length === 0) throw unexpectedShape(data, ctx);
  const byIndex = [...choices].map(asRecord).sort((a, b) => Number(a?.['index'] ?? 0) - Number(b?.['index'] ?? 0));
  const texts: string[] = [];
  const finishReasons: string[] = [];
  const toolCalls: ToolCall[][] = [];
  for (const choice of byIndex.slice(0, wanted)) {
    const message = asRecord(choice?.['message']);
    if (!message) throw unexpectedShape(data, ctx);
    const content = message['content'];
    texts.push(typeof content === 'string' ? content : '');
    const calls = message['tool_calls'];
    toolCalls.push(
      Array.isArray(calls) ? calls.map((c) => parseToolCall(openAiToolCallSchema, c, ctx, toToolCall)) : [],
    );
    const finish = choice?.['finish_reason'];
    finishReasons.push(typeof finish === 'string' ? finish : 'unknown');
  }
  const usage = asRecord(record['usage']);
  return {
    texts,
    finishReasons,
    usage: { inputTokens: count(usage?.['prompt_tokens']), outputTokens: count(usage?.['completion_tokens']) },
    usageReported: usage !== undefined,
    model: typeof record['model'] === 'string' ? record['model'] : undefined,
    ...(toolCalls.some((c) => c.length > 0) ? { toolCalls } : {}),
  };
}

async function collectStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  wanted: number,
  ctx: AttemptContext,
): Promise<ProviderAttemptResult> {
  const texts: string[] = [];
  const finishReasons: (string | undefined)[] = [];
  let usage: ChatCompletionChunk['usage'];
  let model: string | undefined;
  // Streamed tool calls arrive in pieces keyed by (choice, tool-call index): id and name first, then arguments.
  const pieces: { id: string; name: string; arguments: string }[][] = [];
  for await (const chunk of chunks) {
    const record = asRecord(chunk);
    if (!record) throw unexpectedShape(chunk, ctx);
    if (typeof chunk.model === 'string' && chunk.model) model = chunk.model;
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      texts[index] = (texts[index] ?? '') + (choice.delta?.content ?? '');
      if (choice.finish_reason) finishReasons[index] = choice.finish_reason;
      for (const delta of choice.delta?.tool_calls ?? []) {
        const calls = pieces[index] ?? [];
        pieces[index] = calls;
        const call = calls[delta.index] ?? { id: '', name: '', arguments: '' };
        calls[delta.index] = call;
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        if (delta.function?.arguments) call.arguments += delta.function.arguments;
      }
    }
    if (chunk.usage) usage = chunk.usage;
  }
  // An aborted SDK stream ends silently; the timer knows whether that was a timeout.
  if (ctx.timer.fired) throw ctx.timer.fired;
  const missing = Array.from({ length: wanted }, (_, i) => i).filter((i) => finishReasons[i] === undefined);
  if (missing.length > 0) {
    throw new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: the stream from ${ctx.baseUrl} ended without a finish_reason ` +
        `(choices ${missing.join(', ')} incomplete); the partial answer was discarded`,
      { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: true, problem: 'truncated' },
    );
  }
  return {
    texts: Array.from({ length: wanted }, (_, i) => texts[i] ?? ''),
    finishReasons: finishReasons.slice(0, wanted) as string[],
    usage: { inputTokens: count(usage?.prompt_tokens), outputTokens: count(usage?.completion_tokens) },
    usageReported: usage != null,
    model,
    ...(pieces.some((c) => c && c.length > 0)
      ? {
          toolCalls: Array.from({ length: wanted }, (_, i) =>
            (pieces[i] ?? [])
              .filter((c) => c !== undefined)
              .map((c) =>
                parseToolCall(
                  openAiToolCallSchema,
                  { id: c.id, function: { name: c.name, arguments: c.arguments } },
                  ctx,
                  toToolCall,
                ),
              ),
          ),
        }
      : {}),
  };
}

function unexpectedShape(data: unknown, ctx: AttemptContext): ModelResponseError {
  return new ModelResponseError(
    `${ctx.provider} model ${ctx.model}: the reply from ${ctx.baseUrl} is not a chat completion (${snippet(JSON.stringify(data) ?? String(data))})`,
    { provider: ctx.provider, model: ctx.model, attempts: ctx.attempt, retryable: false, problem: 'unexpected-shape' },
  );
}

/** The `openai` provider: api.openai.com (or `baseUrl`), key from config or OPENAI_API_KEY. */
export function createOpenAiProvider(config: ModelConfig, settings: ProviderSettings): OpenAiChatProvider {
  const apiKey = config.apiKey || process.env['OPENAI_API_KEY'];
  if (!apiKey) {
    throw new ModelConfigError(
      `model ${config.name} (provider openai) has no API key: set ${settings.configPath}.apiKey ` +
        `(e.g. apiKey: \${OPENAI_API_KEY}) or the OPENAI_API_KEY environment variable`,
      'openai',
      config.name,
      `${settings.configPath}.apiKey`,
    );
  }
  return new OpenAiChatProvider(
    apiKey,
    config.baseUrl,
    { provider: 'openai', maxTokensField: 'max_completion_tokens', apiKeyEnv: 'OPENAI_API_KEY' },
    settings,
  );
}

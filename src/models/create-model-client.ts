import type { BudgetTracker } from '../budget/budget-tracker.ts';
import type { ModelConfig, Price } from '../config/pipeline-config-schema.ts';
import { callWithRetries, type RetryInfo, type RetryPolicy } from './call-with-retries.ts';
import { createCostCalculator } from './cost-calculator.ts';
import { ModelConfigError } from './model-config-error.ts';
import { ModelResponseError } from './model-response-error.ts';
import type { ModelClient, ModelReply, ModelRequest } from './model-types.ts';
import { createAnthropicProvider } from './providers/anthropic-provider.ts';
import type { ChatProvider, ProviderSettings } from './providers/chat-provider.ts';
import { createOpenAiCompatibleProvider } from './providers/openai-compatible-provider.ts';
import { createOpenAiProvider } from './providers/openai-provider.ts';

export interface ModelClientDeps {
  /** Checked before, and charged for, every HTTP attempt; usage and cost are recorded after each reply. */
  budget?: BudgetTracker | undefined;
  /** Config `pricing`: extends and overrides the built-in price table. */
  pricing?: Readonly<Record<string, Price>> | undefined;
  /** Non-fatal problems (unpriced model, no usage reported). Default: `process.emitWarning`. */
  onWarning?: ((message: string) => void) | undefined;
  /** Waits between retries; tests inject one that records the waits and returns at once. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Jitter source in [0, 1). */
  random?: (() => number) | undefined;
  /** This model's key under `models` in the config, so errors name the key to fix. Default: the model name. */
  configKey?: string | undefined;
  /** Told about each retry before its wait (for logs and progress). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Model names already warned about for missing token usage in this process. */
const warnedNoUsage = new Set<string>();

/**
 * A client for one configured model (`openai`, `anthropic` or `openai-compatible`), with Refinery's retry
 * layer, per-attempt budget checks, idle-timed streaming and per-call cost. Throws `ModelConfigError` at
 * once when the config cannot work (no API key, no base URL).
 */
export function createModelClient(model: ModelConfig, deps: ModelClientDeps = {}): ModelClient {
  const configPath = `models.${deps.configKey ?? model.name}`;
  const settings: ProviderSettings = {
    timeoutMs: model.timeoutSec * 1000,
    idleTimeoutMs: model.idleTimeoutSec * 1000,
    stream: model.stream,
    configPath,
  };
  const provider = createProvider(model, settings);
  const policy: RetryPolicy = { maxRetries: model.maxRetries, maxRetryWaitMs: model.maxRetryWaitSec * 1000 };
  const onWarning = deps.onWarning ?? ((message: string) => process.emitWarning(message));
  const costOf = createCostCalculator(deps.pricing, onWarning);
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;

  return {
    async call(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply> {
      const started = performance.now();
      const params = { ...model.params, ...request.params };
      const wanted = params.n ?? 1;
      const reply: ModelReply = {
        texts: [],
        finishReasons: [],
        usage: { inputTokens: 0, outputTokens: 0 },
        costUsd: 0,
        attempts: 0,
        latencyMs: 0,
        model: request.model,
      };
      // Providers without `n` (and servers that ignore it) get one request per missing choice, each under
      // its own budget check.
      while (reply.texts.length < wanted) {
        const choices = provider.supportsChoices ? wanted - reply.texts.length : 1;
        const { value, attempts } = await callWithRetries(
          (attempt) =>
            provider.attempt({
              model: request.model,
              messages: request.messages,
              params,
              choices,
              attempt,
              signal: options?.signal,
              tools: request.tools,
              toolChoice: request.toolChoice,
            }),
          policy,
          { budget: deps.budget, sleep, random, signal: options?.signal, onRetry: deps.onRetry },
        );
        reply.attempts += attempts;
        const costUsd = costOf(request.model, value.usage);
        deps.budget?.recordUsage(value.usage.inputTokens, value.usage.outputTokens, costUsd);
        if (!value.usageReported && !warnedNoUsage.has(request.model)) {
          warnedNoUsage.add(request.model);
          onWarning(
            `${provider.provider} model ${request.model} at ${provider.baseUrl} reported no token usage: ` +
              `its calls count 0 tokens and $0 against the budgets`,
          );
        }
        if (value.texts.length === 0) {
          throw new ModelResponseError(`${provider.provider} model ${request.model}: the reply has no choices`, {
            provider: provider.provider,
            model: request.model,
            attempts,
            retryable: false,
            problem: 'unexpected-shape',
          });
        }
        if (request.tools && request.tools.length > 0)
          reply.toolCalls = [...(reply.toolCalls ?? []), ...value.texts.map((_, i) => value.toolCalls?.[i] ?? [])];
        reply.texts.push(...value.texts);
        reply.finishReasons.push(...value.finishReasons);
        reply.usage.inputTokens += value.usage.inputTokens;
        reply.usage.outputTokens += value.usage.outputTokens;
        reply.costUsd += costUsd;
        if (value.model) reply.model = value.model;
      }
      reply.latencyMs = Math.round(performance.now() - started);
      return reply;
    },
  };
}

function createProvider(model: ModelConfig, settings: ProviderSettings): ChatProvider {
  switch (model.provider) {
    case 'openai':
      return createOpenAiProvider(model, settings);
    case 'anthropic':
      return createAnthropicProvider(model, settings);
    case 'openai-compatible':
      return createOpenAiCompatibleProvider(model, settings);
    case 'recorded':
      throw new ModelConfigError(
        `model ${model.name} has provider 'recorded', which answers from ${settings.configPath}.recording ` +
          `and is not created by createModelClient`,
        'recorded',
        model.name,
        `${settings.configPath}.provider`,
      );
  }
}

import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type * as OpenAiSdk from 'openai';
import { BudgetExhaustedError } from '../budget/budget-exhausted-error.ts';
import { AttemptTimedOut, type AttemptTimer } from './attempt-timer.ts';
import { ModelConnectionError } from './model-connection-error.ts';
import { ModelError, type ModelErrorFields } from './model-error.ts';
import { ModelHttpError } from './model-http-error.ts';
import { ModelResponseError } from './model-response-error.ts';
import { ModelTimeoutError } from './model-timeout-error.ts';
import type { ProviderName } from './model-types.ts';
import { parseRetryAfter } from './retry-after.ts';

/**
 * The error classes of the SDK that made the attempt, taken from the module the provider loaded on its first
 * attempt: nothing here imports an SDK, so a run whose models are all recorded (a replay) never loads one.
 */
export type SdkErrorClasses =
  | Pick<typeof OpenAiSdk, 'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError'>
  | Pick<typeof AnthropicSdk, 'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError'>;

/** What an attempt knows about itself, for errors that say what to fix. */
export interface AttemptContext {
  /** The error classes of the provider's SDK. */
  sdkErrors: SdkErrorClasses;
  provider: ProviderName;
  model: string;
  attempt: number;
  baseUrl: string;
  /** Config path of this model, e.g. `models.coder`. */
  configPath: string;
  /** Environment variable the API key can come from, if the provider has one. */
  apiKeyEnv?: string | undefined;
  timer: AttemptTimer;
  callerSignal?: AbortSignal | undefined;
}

/** Statuses worth another attempt (the same set the SDKs retry). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Turns whatever an SDK call threw into a structured model error. Errors that are not about the model
 * exchange (a budget stop, a caller abort, a bug) are returned unchanged.
 */
export function translateSdkError(error: unknown, ctx: AttemptContext): unknown {
  if (error instanceof ModelError || error instanceof BudgetExhaustedError) return error;
  const base = (retryable: boolean, cause: unknown): ModelErrorFields => ({
    provider: ctx.provider,
    model: ctx.model,
    attempts: ctx.attempt,
    retryable,
    cause,
  });
  const fired = ctx.timer.fired ?? (error instanceof AttemptTimedOut ? error : undefined);
  if (fired) {
    const what =
      fired.phase === 'idle'
        ? `the stream sent nothing for ${fired.timeoutMs} ms (config ${ctx.configPath}.idleTimeoutSec)`
        : fired.phase === 'headers'
          ? `no response headers within ${fired.timeoutMs} ms (config ${ctx.configPath}.timeoutSec)`
          : `no complete response within ${fired.timeoutMs} ms (config ${ctx.configPath}.timeoutSec)`;
    return new ModelTimeoutError(`${ctx.provider} model ${ctx.model}: ${what}`, {
      ...base(true, error instanceof AttemptTimedOut ? undefined : error),
      phase: fired.phase,
      timeoutMs: fired.timeoutMs,
    });
  }
  if (ctx.callerSignal?.aborted) return ctx.callerSignal.reason;

  const { APIConnectionTimeoutError, APIConnectionError, APIError } = ctx.sdkErrors;
  if (error instanceof APIConnectionTimeoutError) {
    // The SDK's own header timeout (set to the same timeoutSec) fired before ours.
    const armed = ctx.timer.lastArmed;
    return new ModelTimeoutError(
      `${ctx.provider} model ${ctx.model}: no response headers within ${armed?.timeoutMs ?? '?'} ms ` +
        `(config ${ctx.configPath}.timeoutSec)`,
      { ...base(true, error), phase: armed?.phase ?? 'headers', timeoutMs: armed?.timeoutMs ?? Number.NaN },
    );
  }
  if (error instanceof APIConnectionError) {
    const detail = describeCause(error);
    return new ModelConnectionError(
      `${ctx.provider} model ${ctx.model}: could not reach ${ctx.baseUrl}${detail}; ` +
        `check that the server is running and ${ctx.configPath}.baseUrl`,
      { ...base(true, error), baseUrl: ctx.baseUrl },
    );
  }
  if (error instanceof APIError) {
    const status = error.status;
    const serverMessage = serverMessageOf(error.error) ?? undefined;
    if (typeof status !== 'number') {
      // An error event inside a stream: the provider failed mid-answer.
      const type = errorTypeOf(error.error);
      const retryable = type === undefined || !/invalid_request|authentication|permission|not_found/.test(type);
      return new ModelResponseError(
        `${ctx.provider} model ${ctx.model}: the stream reported an error${type ? ` (${type})` : ''}` +
          `${serverMessage ? `: ${serverMessage}` : ''}`,
        { ...base(retryable, error), problem: 'stream-error' },
      );
    }
    const headers = error.headers;
    const shouldRetry = headers?.get('x-should-retry');
    const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : isRetryableStatus(status);
    const retryAfterMs = parseRetryAfter(headers);
    return new ModelHttpError(httpMessage(status, serverMessage, ctx), {
      ...base(retryable, error),
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(serverMessage !== undefined ? { serverMessage } : {}),
    });
  }
  if (error instanceof SyntaxError) {
    return new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: the reply from ${ctx.baseUrl} is not valid JSON (${error.message})`,
      { ...base(true, error), problem: 'malformed-json' },
    );
  }
  if (error instanceof TypeError && isBodyCut(error)) {
    return new ModelConnectionError(
      `${ctx.provider} model ${ctx.model}: the connection to ${ctx.baseUrl} was cut before the reply ended${describeCause(error)}`,
      { ...base(true, error), baseUrl: ctx.baseUrl },
    );
  }
  return error;
}

function httpMessage(status: number, serverMessage: string | undefined, ctx: AttemptContext): string {
  const head = `${ctx.provider} model ${ctx.model}: HTTP ${status} from ${ctx.baseUrl}`;
  const said = serverMessage ? ` (${serverMessage})` : '';
  if (status === 401 || status === 403) {
    const env = ctx.apiKeyEnv ? ` or the ${ctx.apiKeyEnv} environment variable` : '';
    return `${head}${said}: the API key was rejected; set ${ctx.configPath}.apiKey${env}`;
  }
  if (status === 404) return `${head}${said}: check ${ctx.configPath}.name and ${ctx.configPath}.baseUrl`;
  if (status === 429) return `${head}${said}: rate limited`;
  if (status === 400 || status === 422)
    return `${head}${said}: the request was refused; check ${ctx.configPath}.params`;
  return `${head}${said}`;
}

function serverMessageOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record['message'] === 'string') return record['message'];
  const inner = record['error'];
  if (inner && typeof inner === 'object' && typeof (inner as Record<string, unknown>)['message'] === 'string')
    return (inner as Record<string, string>)['message'];
  return undefined;
}

function errorTypeOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record['type'] === 'string' && record['type'] !== 'error') return record['type'];
  const inner = record['error'];
  if (inner && typeof inner === 'object' && typeof (inner as Record<string, unknown>)['type'] === 'string')
    return (inner as Record<string, string>)['type'];
  return undefined;
}

function isBodyCut(error: TypeError): boolean {
  return (
    error.message === 'terminated' || /fetch failed|socket|ECONNRESET|other side closed/i.test(describeCause(error))
  );
}

function describeCause(error: Error): string {
  const parts: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code}: ${cause.message}` : cause.message);
    cause = cause.cause;
  }
  return parts.length ? ` (${parts.join('; ')})` : '';
}

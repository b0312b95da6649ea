import type {
  ChatMessage,
  ModelParams,
  ProviderName,
  TokenUsage,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../model-types.ts';

export interface ProviderAttemptInput {
  model: string;
  messages: ChatMessage[];
  params: ModelParams;
  /** Choices wanted from this one request (providers without `n` always get 1). */
  choices: number;
  /** 1-based attempt number within the call, for error reports and `x-stainless-retry-count`. */
  attempt: number;
  signal?: AbortSignal | undefined;
  tools?: ToolDefinition[] | undefined;
  toolChoice?: ToolChoice | undefined;
}

export interface ProviderAttemptResult {
  texts: string[];
  finishReasons: string[];
  usage: TokenUsage;
  /** False when the server sent no token counts (some openai-compatible servers). */
  usageReported: boolean;
  /** Model name the server reports, if any. */
  model?: string | undefined;
  /** The tool calls of each choice, when any choice made some. */
  toolCalls?: ToolCall[][] | undefined;
}

/** One provider's single HTTP attempt, through its official SDK with SDK retries off. */
export interface ChatProvider {
  readonly provider: ProviderName;
  readonly baseUrl: string;
  /** Whether one request can return several choices (`n`). */
  readonly supportsChoices: boolean;
  attempt(input: ProviderAttemptInput): Promise<ProviderAttemptResult>;
}

/** Per-model settings every provider needs, resolved from the model config. */
export interface ProviderSettings {
  timeoutMs: number;
  idleTimeoutMs: number;
  stream: boolean;
  /** Config path of the model, e.g. `models.coder`, for messages that say what to fix. */
  configPath: string;
}

import type { ModelConfig } from '../../config/pipeline-config-schema.ts';
import { ModelConfigError } from '../model-config-error.ts';
import type { ProviderSettings } from './chat-provider.ts';
import { OpenAiChatProvider } from './openai-provider.ts';

/** Local servers ignore the key, but the SDK insists on one. */
const PLACEHOLDER_API_KEY = 'not-needed';

/**
 * The `openai-compatible` provider: any server speaking OpenAI's chat-completions format at `baseUrl`
 * (Ollama `http://127.0.0.1:11434/v1`, vLLM `http://127.0.0.1:8000/v1`, llama.cpp `http://127.0.0.1:8080/v1`).
 * The API key is optional. Requests use `max_tokens`, which these servers understand.
 */
export function createOpenAiCompatibleProvider(config: ModelConfig, settings: ProviderSettings): OpenAiChatProvider {
  if (!config.baseUrl) {
    throw new ModelConfigError(
      `model ${config.name} (provider openai-compatible) needs a base URL: set ${settings.configPath}.baseUrl ` +
        `(e.g. http://127.0.0.1:11434/v1 for Ollama, http://127.0.0.1:8000/v1 for vLLM)`,
      'openai-compatible',
      config.name,
      `${settings.configPath}.baseUrl`,
    );
  }
  return new OpenAiChatProvider(
    config.apiKey || PLACEHOLDER_API_KEY,
    config.baseUrl,
    { provider: 'openai-compatible', maxTokensField: 'max_tokens' },
    settings,
  );
}

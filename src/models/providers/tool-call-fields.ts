import { z } from 'zod';
import { ModelResponseError } from '../model-response-error.ts';
import type { ToolCall } from '../model-types.ts';
import type { AttemptContext } from '../translate-sdk-error.ts';
import { snippet } from './reply-fields.ts';

/** OpenAI `message.tool_calls[i]` (function tools; Refinery declares no custom tools). */
export const openAiToolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

/** Anthropic `content[i]` of type `tool_use`. */
export const anthropicToolUseSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

/** Reads one tool call the server sent, or says which field is wrong. */
export function parseToolCall<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: AttemptContext,
  toCall: (parsed: z.infer<S>) => ToolCall,
): ToolCall {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelResponseError(
      `${ctx.provider} model ${ctx.model}: a tool call from ${ctx.baseUrl} is malformed ` +
        `(${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}; ${snippet(JSON.stringify(value) ?? String(value))})`,
      {
        provider: ctx.provider,
        model: ctx.model,
        attempts: ctx.attempt,
        retryable: false,
        problem: 'unexpected-shape',
      },
    );
  }
  return toCall(parsed.data);
}

/** The tool arguments as an object for APIs that take one (Anthropic `input`); `{}` for unparseable text. */
export function argumentsObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

import { z } from 'zod';

export const modelParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    stop: z.array(z.string()).optional(),
    n: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export const modelConfigSchema = z
  .object({
    provider: z.enum(['openai', 'anthropic', 'openai-compatible', 'recorded']),
    name: z.string().min(1),
    baseUrl: z.string().url().optional(),
    /** Usually `${OPENAI_API_KEY}`; redacted in every trajectory and log. */
    apiKey: z.string().optional(),
    params: modelParamsSchema.default({}),
    /** Per-HTTP-attempt timeout (headers) and idle timeout between stream chunks. */
    timeoutSec: z.number().positive().default(120),
    idleTimeoutSec: z.number().positive().default(60),
    maxRetries: z.number().int().min(0).max(10).default(3),
    /** Cap on a server's retry-after, in seconds. */
    maxRetryWaitSec: z.number().positive().default(60),
    stream: z.boolean().default(false),
    /** Recorded provider only: path of a recording (trajectory or sample file). */
    recording: z.string().optional(),
  })
  .strict();

export const agentConfigSchema = z
  .object({
    /** Key into `models`. */
    model: z.string().min(1),
    /** Prompt template files, relative to the repository root (or absolute). */
    prompts: z.record(z.string(), z.string()).optional(),
    params: modelParamsSchema.optional(),
  })
  .strict();

export const executionConfigSchema = z
  .object({
    sandbox: z.enum(['auto', 'bwrap', 'none']).default('auto'),
    timeoutSec: z.number().positive().default(10),
    cpuSec: z.number().positive().optional(),
    memoryMb: z.number().int().positive().default(4096),
    processes: z.number().int().positive().default(256),
    fileSizeMb: z.number().int().positive().default(16),
    outputBytes: z.number().int().positive().default(1_048_576),
    workers: z.number().int().positive().optional(),
    cache: z.boolean().default(true),
    cacheDir: z.string().optional(),
  })
  .strict();

export const budgetConfigSchema = z
  .object({
    iterations: z.number().int().positive().optional(),
    tokens: z.number().int().positive().optional(),
    costUsd: z.number().positive().optional(),
    wallSeconds: z.number().positive().optional(),
    modelCalls: z.number().int().positive().optional(),
  })
  .strict();

export const priceSchema = z
  .object({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() })
  .strict();

export const pipelineConfigSchema = z
  .object({
    /** Layer this file on another config (path relative to this file). Removed after resolution. */
    extends: z.union([z.string(), z.array(z.string())]).optional(),
    graph: z.string().min(1),
    description: z.string().optional(),
    models: z.record(z.string(), modelConfigSchema),
    agents: z.record(z.string(), agentConfigSchema).default({}),
    execution: executionConfigSchema.default(executionConfigSchema.parse({})),
    budgets: budgetConfigSchema.default({}),
    pricing: z.record(z.string(), priceSchema).default({}),
    trajectory: z
      .object({ dir: z.string().default('runs') })
      .strict()
      .default({ dir: 'runs' }),
    /** Options of the chosen graph; validated by that graph's own schema. */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type ExecutionConfig = z.infer<typeof executionConfigSchema>;
export type BudgetConfig = z.infer<typeof budgetConfigSchema>;
export type Price = z.infer<typeof priceSchema>;

import { z } from 'zod';
import { SANDBOX_SETTINGS } from '../execution/execution-types.ts';
import { modelParamsSchema } from '../models/model-params-schema.ts';
import { PROVIDERS } from '../models/model-types.ts';

// Descriptions feed `refinery schema` (editor hover text) and the key table in docs/config.md.

export { modelParamsSchema };

export const modelConfigSchema = z
  .object({
    provider: z.enum(PROVIDERS).describe('Which client talks to the model.'),
    name: z.string().min(1).describe('Model name as the provider knows it.'),
    baseUrl: z.string().url().optional().describe('Endpoint of an OpenAI-compatible server (vLLM, llama.cpp, ...).'),
    apiKey: z.string().optional().describe('Usually `${OPENAI_API_KEY}`; redacted in every trajectory and log.'),
    params: modelParamsSchema.default({}).describe('Default sampling parameters for this model.'),
    timeoutSec: z.number().positive().default(120).describe('Per-HTTP-attempt timeout (until headers).'),
    idleTimeoutSec: z.number().positive().default(60).describe('Idle timeout between stream chunks.'),
    maxRetries: z.number().int().min(0).max(10).default(3).describe('Retries of a failed call.'),
    maxRetryWaitSec: z.number().positive().default(60).describe("Cap on a server's retry-after, in seconds."),
    stream: z.boolean().default(false).describe('Stream replies.'),
    recording: z
      .string()
      .optional()
      .describe('Recorded provider only: path of a recording (trajectory or sample file).'),
  })
  .strict();

export const agentConfigSchema = z
  .object({
    model: z.string().min(1).describe('Key into `models`.'),
    prompts: z
      .record(z.string(), z.string())
      .optional()
      .describe('Prompt template files by role, relative to the project root (or absolute).'),
    params: modelParamsSchema.optional().describe("Overrides of the model's `params` for this agent."),
  })
  .strict();

export const executionConfigSchema = z
  .object({
    sandbox: z.enum(SANDBOX_SETTINGS).default('auto').describe('`auto` uses bubblewrap when available.'),
    timeoutSec: z.number().positive().default(10).describe('Wall-clock limit per execution.'),
    cpuSec: z.number().positive().optional().describe('CPU-time limit per execution.'),
    memoryMb: z.number().int().positive().default(4096).describe('Address-space limit.'),
    processes: z.number().int().positive().default(256).describe('Process/thread limit.'),
    fileSizeMb: z.number().int().positive().default(16).describe('Largest file a program may write.'),
    outputBytes: z.number().int().positive().default(1_048_576).describe('Captured stdout/stderr per stream.'),
    workers: z.number().int().positive().optional().describe('Parallel executions (default: CPU count).'),
    cache: z.boolean().default(true).describe('Reuse results of identical executions.'),
    cacheDir: z.string().optional().describe('Where the execution cache lives.'),
  })
  .strict();

export const budgetConfigSchema = z
  .object({
    iterations: z.number().int().positive().optional().describe('Refinement rounds.'),
    tokens: z.number().int().positive().optional().describe('Prompt + completion tokens over the run.'),
    costUsd: z.number().positive().optional().describe('Spend over the run, priced with `pricing`.'),
    wallSeconds: z.number().positive().optional().describe('Wall-clock time of the run.'),
    modelCalls: z.number().int().positive().optional().describe('Model calls over the run.'),
  })
  .strict();

export const priceSchema = z
  .object({
    inputPerMTok: z.number().nonnegative().describe('USD per million input tokens.'),
    outputPerMTok: z.number().nonnegative().describe('USD per million output tokens.'),
  })
  .strict();

/**
 * Which finished jobs BullMQ keeps in Redis (`removeOnComplete`, `removeOnFail`): `true` removes a job as it ends,
 * `false` keeps every one; `{ age, count }` keeps those younger than `age` seconds and among the last `count` (each
 * checked when a later job of the queue ends).
 */
const keepJobsSchema = z.union([
  z.boolean(),
  z
    .object({
      age: z.number().int().positive().optional().describe('Seconds a finished job is kept at most.'),
      count: z.number().int().nonnegative().optional().describe('Finished jobs of the queue kept at most.'),
    })
    .strict(),
]);

/** `queue:` (issue 20): settings of a batch run on a job queue (`refinery batch --queue`), passed to BullMQ as is. */
export const queueConfigSchema = z
  .object({
    attempts: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe('Tries of a job whose worker failed (a bad task fails once).'),
    backoff: z
      .object({
        type: z.enum(['fixed', 'exponential']).describe("BullMQ's backoff strategy."),
        delay: z.number().int().nonnegative().describe('Milliseconds before a retry (the base, for exponential).'),
      })
      .strict()
      .optional()
      .describe('Wait between tries.'),
    lockDuration: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Milliseconds a worker's lock on a job lasts unless renewed (BullMQ default 30000)."),
    stalledInterval: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Milliseconds between checks for jobs whose worker died (BullMQ default 30000).'),
    maxStalledCount: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Times a job may be picked up again after its worker died before it fails (BullMQ default 1).'),
    limiter: z
      .object({
        max: z.number().int().positive().describe('Jobs started per `duration`.'),
        duration: z.number().int().positive().describe('Milliseconds.'),
      })
      .strict()
      .optional()
      .describe('Rate limit over all workers of the queue.'),
    concurrency: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Jobs each worker runs at once (`--concurrency` wins).'),
    removeOnComplete: keepJobsSchema
      .default({ age: 3600, count: 1000 })
      .describe(
        'Completed jobs kept in Redis (BullMQ): `true` removes each at once, `false` keeps all; by default the last 1000, for an hour at most.',
      ),
    removeOnFail: keepJobsSchema
      .default({ age: 604800, count: 10000 })
      .describe(
        'Failed jobs kept in Redis (BullMQ), as `removeOnComplete`; by default the last 10000, for a week at most.',
      ),
  })
  .strict();

export const pipelineConfigSchema = z
  .object({
    extends: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Config file(s) this one is layered on, relative to this file. Removed after resolution.'),
    graph: z.string().min(1).describe('Name of the registered graph to run.'),
    description: z.string().optional().describe('Free text.'),
    models: z.record(z.string(), modelConfigSchema).describe('Models by name; agents refer to these names.'),
    agents: z.record(z.string(), agentConfigSchema).default({}).describe('Agents by name (planner, coder, ...).'),
    execution: executionConfigSchema
      .default(executionConfigSchema.parse({}))
      .describe('Limits of sandboxed execution.'),
    budgets: budgetConfigSchema.default({}).describe('Run budgets; a run stops when one is exhausted.'),
    pricing: z.record(z.string(), priceSchema).default({}).describe('Prices by model name, for `budgets.costUsd`.'),
    trajectory: z
      .object({ dir: z.string().default('runs').describe('Directory for run trajectories.') })
      .strict()
      .default({ dir: 'runs' })
      .describe('Where runs are recorded.'),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Options of the chosen graph; validated by that graph's own schema."),
    queue: queueConfigSchema
      .optional()
      .describe('Job queue settings of `refinery batch --queue` (docs/distributed.md).'),
  })
  .strict()
  .describe('A Refinery pipeline config.');

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type ExecutionConfig = z.infer<typeof executionConfigSchema>;
export type BudgetConfig = z.infer<typeof budgetConfigSchema>;
export type Price = z.infer<typeof priceSchema>;
export type QueueConfig = z.infer<typeof queueConfigSchema>;

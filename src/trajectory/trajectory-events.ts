import { z } from 'zod';

export const TRAJECTORY_SCHEMA_VERSION = 1;

const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

const chatMessage = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  /** An assistant turn's tool calls; a tool turn's answered call id and error flag. */
  toolCalls: z.array(toolCall).optional(),
  toolCallId: z.string().optional(),
  isError: z.boolean().optional(),
});

const toolDefinition = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});

export const modelRequestSchema = z.object({
  provider: z.string(),
  model: z.string(),
  messages: z.array(chatMessage),
  params: z
    .object({
      temperature: z.number().optional(),
      topP: z.number().optional(),
      maxTokens: z.number().optional(),
      stop: z.array(z.string()).optional(),
      n: z.number().optional(),
      seed: z.number().optional(),
    })
    .strict(),
  agent: z.string(),
  recordKey: z.string().optional(),
  tools: z.array(toolDefinition).optional(),
  toolChoice: z.enum(['auto', 'none']).optional(),
});

export const modelReplySchema = z.object({
  texts: z.array(z.string()),
  finishReasons: z.array(z.string()),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  costUsd: z.number(),
  attempts: z.number(),
  latencyMs: z.number(),
  model: z.string(),
  toolCalls: z.array(z.array(toolCall)).optional(),
});

export const budgetTotals = z.object({
  iterations: z.number(),
  modelCalls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  wallMs: z.number(),
});
export type BudgetTotals = z.infer<typeof budgetTotals>;

const base = { seq: z.number().int().nonnegative(), at: z.string() };

export const headerEvent = z.object({
  ...base,
  type: z.literal('header'),
  schemaVersion: z.number().int(),
  refineryVersion: z.string(),
  runId: z.string(),
  /** Resolved config with secrets redacted; enough to rerun. */
  config: z.record(z.string(), z.unknown()),
  configPath: z.string().optional(),
  /** Directory that relative paths in the config (prompt files) resolve against, relative to the working directory. */
  baseDir: z.string().optional(),
  /** Set when this run replays another trajectory. */
  replayOf: z.string().optional(),
  task: z.unknown(),
  /** Prompt files by path -> sha256, so a replay can tell which prompt changed. */
  prompts: z.record(z.string(), z.string()).optional(),
});

export const nodeEnterEvent = z.object({ ...base, type: z.literal('node_enter'), node: z.string(), step: z.number() });
export const nodeExitEvent = z.object({
  ...base,
  type: z.literal('node_exit'),
  node: z.string(),
  step: z.number(),
  update: z.unknown(),
  durationMs: z.number(),
});
export const modelCallEvent = z.object({
  ...base,
  type: z.literal('model_call'),
  node: z.string(),
  /** Ordinal of this model call in the run (0-based). */
  call: z.number().int(),
  request: modelRequestSchema,
  reply: modelReplySchema,
});
export const modelErrorEvent = z.object({
  ...base,
  type: z.literal('model_error'),
  node: z.string(),
  call: z.number().int(),
  request: modelRequestSchema,
  error: z.object({
    name: z.string(),
    message: z.string(),
    attempts: z.number().optional(),
    data: z.unknown().optional(),
  }),
});
export const executionEvent = z.object({
  ...base,
  type: z.literal('execution'),
  node: z.string(),
  /** What ran: 'exec' for one program, or a step kind such as 'python-matrix'. */
  kind: z.string(),
  /** Content hash of the request; replay with `--exec recorded` answers by it. */
  key: z.string(),
  request: z.unknown(),
  result: z.unknown(),
  durationMs: z.number().optional(),
});
export const budgetEvent = z.object({ ...base, type: z.literal('budget'), totals: budgetTotals });
export const noteEvent = z.object({
  ...base,
  type: z.literal('note'),
  node: z.string().optional(),
  message: z.string(),
  data: z.unknown().optional(),
});
export const finalEvent = z.object({
  ...base,
  type: z.literal('final'),
  status: z.string(),
  exitCode: z.number().int(),
  result: z.unknown(),
  totals: budgetTotals,
  error: z.object({ name: z.string(), message: z.string() }).optional(),
});

/**
 * A run continued after it was killed (or cancelled): `refinery resume`. Events from `fromSeq` up to this one
 * belong to the nodes that were running and run again from the last checkpoint; their answered model calls and
 * executions are answered from those events, not sent again (docs/batch-and-resume.md).
 */
export const resumeEvent = z.object({
  ...base,
  type: z.literal('resume'),
  /** The first event after the checkpoint resumed from (the header's seq + 1 when no node had finished). */
  fromSeq: z.number().int().nonnegative(),
  /** LangGraph's step of the checkpoint; null when the run restarts from its input. */
  checkpointStep: z.number().int().nullable(),
  /** Bytes of a torn last line cut off the file before appending. */
  droppedBytes: z.number().int().nonnegative(),
  /** The budget totals restored from the checkpoint. */
  totals: budgetTotals,
  /** Status of the final event written before this resume (a cancelled run, a refused resume), if any. */
  after: z.string().optional(),
});

export const trajectoryEvent = z.discriminatedUnion('type', [
  headerEvent,
  nodeEnterEvent,
  nodeExitEvent,
  modelCallEvent,
  modelErrorEvent,
  executionEvent,
  budgetEvent,
  noteEvent,
  finalEvent,
  resumeEvent,
]);

export type TrajectoryEvent = z.infer<typeof trajectoryEvent>;
export type HeaderEvent = z.infer<typeof headerEvent>;
export type ModelCallEvent = z.infer<typeof modelCallEvent>;
export type ExecutionEvent = z.infer<typeof executionEvent>;
export type FinalEvent = z.infer<typeof finalEvent>;
export type ResumeEvent = z.infer<typeof resumeEvent>;
/** An event as handed to the writer, which stamps `seq` and `at`. */
export type TrajectoryEventInput = TrajectoryEvent extends infer E
  ? E extends TrajectoryEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

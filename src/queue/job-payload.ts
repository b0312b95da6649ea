import { z } from 'zod';
import { queueConfigSchema } from '../config/pipeline-config-schema.ts';

/**
 * One job of a batch on the queue: everything a worker on any machine needs to run (or resume) one task. Keys are
 * never in it: the config's `${VAR}`s are read from the worker's environment.
 */
export const jobPayloadSchema = z.object({
  version: z.literal(1),
  batchId: z.string().min(1),
  taskId: z.string().min(1),
  /** The task's position in the task set (the results table's order) and where it came from (`tasks.jsonl:3`). */
  index: z.number().int().nonnegative(),
  source: z.string(),
  /** The pipeline config: its absolute path (messages, prompts beside it), its text (checked) and the `--set`s. */
  config: z.object({ path: z.string(), text: z.string(), set: z.array(z.string()) }),
  /** The task as read from the task set; the worker validates it with its pipeline's task schema. */
  task: z.unknown(),
  /** The batch directory (shared by the workers): `trajectories/<task>.jsonl` and each running task's checkpoints. */
  batchDir: z.string(),
  /** The submitter's working directory (relative paths in the config and the task resolve from it). */
  cwd: z.string(),
  /** Where runs keep their state: undefined for the batch directory (workers sharing its filesystem). */
  store: z.string().optional(),
  /** The config's `queue:` section. */
  queue: queueConfigSchema.optional(),
  /**
   * The batch has a whole-batch budget (`--max-cost-usd`, `--max-tokens`): the worker reports the run's totals as
   * the job's progress, and stops the run at its next step boundary once the submitter says the budget is spent.
   */
  reportTotals: z.boolean().optional(),
  /**
   * Added with a new batch (not a `--resume`, not a job submitted again): no run of it was started before this job,
   * so its first start (BullMQ's `attemptsStarted` 1, never stalled) need not look for one in the store.
   */
  fresh: z.literal(true).optional(),
});
export type JobPayload = z.infer<typeof jobPayloadSchema>;

/**
 * A job's id: `<batchId>.<taskId>` (BullMQ forbids ':' in custom ids and ids that are integers; task ids hold only
 * letters, digits, '.', '_' and '-', batch ids are run ids). It is also the run id and LangGraph thread id of the
 * task's run, so any worker finds its checkpoint and trajectory by it.
 */
export function jobIdOf(batchId: string, taskId: string): string {
  return `${batchId}.${taskId}`;
}

/**
 * Why a job failed, as BullMQ keeps it (`failedReason`): the results row's status in brackets, then the message
 * (`[invalid-input] tasks.jsonl:3: entryPoint: Required`).
 */
export function failureReason(status: string, message: string): string {
  return `[${status}] ${message}`;
}

export function parseFailureReason(reason: string | undefined): { status: string; message: string } {
  const match = /^\[([a-z:-]+)\] ([\s\S]*)$/.exec(reason ?? '');
  return match ? { status: match[1]!, message: match[2]! } : { status: 'error', message: reason || 'job failed' };
}

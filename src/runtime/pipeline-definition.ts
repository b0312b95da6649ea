import type { z } from 'zod';
import type { ExitStatus } from './exit-status.ts';
import type { RunContext } from './run-context.ts';

export interface PipelineOutcome {
  status: ExitStatus;
  /** Graph-specific result (final code, chosen pool, DET, ...); written to the final event. */
  result: unknown;
  /** One line for humans. */
  summary: string;
}

/**
 * A pipeline = a graph + its option and task schemas. Graphs register one of these;
 * the spine knows nothing else about them.
 */
export interface PipelineDefinition<TTask = unknown, TOptions = unknown> {
  name: string;
  description: string;
  optionsSchema: z.ZodType<TOptions>;
  taskSchema: z.ZodType<TTask>;
  run(ctx: RunContext<TTask, TOptions>): Promise<PipelineOutcome>;
  /**
   * Builds the task from `refinery run` flags other than the spine's own (e.g. `--repo`, `--test-cmd`).
   * Without it, `--task FILE` is read as a JSON or YAML task file.
   */
  taskFromFlags?(flags: Record<string, string>, cwd: string): Promise<TTask> | TTask;
}

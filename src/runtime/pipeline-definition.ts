import type { z } from 'zod';
import type { BudgetName } from '../budget/budget-exhausted-error.ts';
import type { ExitStatus } from './exit-status.ts';
import type { PipelineExample } from './pipeline-example.ts';
import type { FlagSchema } from './pipeline-flags.ts';
import type { RunContext } from './run-context.ts';

/**
 * A pipeline = a LangGraph graph + the schemas of its options, task and result + the agents it calls.
 * The spine runs every pipeline the same way (see `runPipelineGraph`): it streams the graph with the step
 * limit and the run's abort signal, and owns how a run ends: budget stops, the step limit and cancellation.
 * On every ending the pipeline builds its result from the last state it reached, so a run stopped half way
 * still reports what it had. Graphs register one of these in `graphs/index.ts`; the spine knows nothing else.
 */
export interface PipelineDefinition<
  TTask = unknown,
  TOptions = unknown,
  TResult = unknown,
  TState extends object = object,
> {
  name: string;
  description: string;
  optionsSchema: z.ZodType<TOptions>;
  taskSchema: z.ZodType<TTask>;
  /** The result written to the final event; parsed on every ending, partial results included. */
  resultSchema: z.ZodType<TResult>;
  /** Agents the graph calls and the prompt files each needs: checked when the config loads. */
  agents: readonly AgentRequirement<TOptions>[];
  /** Builds the graph for one run (and whatever the run needs first: a worktree, an engine lease). */
  start(ctx: RunContext<TTask, TOptions>): Promise<PipelineStart<TState>> | PipelineStart<TState>;
  /**
   * The result from the last state the graph reached: `undefined` when no node finished. Called on every
   * ending, so it must accept a partial state (a budget stop between any two nodes).
   */
  result(
    ctx: RunContext<TTask, TOptions>,
    state: Partial<TState> | undefined,
    ending: RunEnding,
  ): Promise<TResult> | TResult;
  /** Status and one line for humans, for a graph that ran to its end. */
  verdict(ctx: RunContext<TTask, TOptions>, result: TResult): PipelineVerdict;
  /** One line of where the run stood, appended to the message of a budget stop, the step limit or a cancel. */
  progressLine(result: TResult): string;
  /**
   * Extra `refinery run` flags (e.g. `--repo`, `--test-cmd`), declared as a zod object (see {@link FlagSchema}):
   * `refinery run CONFIG --help` lists them for a config of this pipeline, and the values are checked with it.
   * A `task` key replaces the spine's `--task FILE`. Needs `taskFromFlags`.
   */
  runFlags?: FlagSchema;
  /**
   * Builds the task from the `runFlags` values (already checked by the schema). Without `runFlags`, or when
   * none is given, `--task FILE` is read as a JSON or YAML task file.
   */
  taskFromFlags?(flags: Record<string, unknown>, cwd: string): Promise<TTask> | TTask;
  /**
   * Extra `refinery replay` flags (e.g. `--repo PATH` to point the recorded task at another repository),
   * listed by `refinery replay TRAJECTORY --help` for a trajectory of this pipeline. Needs `replayTask`.
   */
  replayFlags?: FlagSchema;
  /** The task a replay runs: the recorded one with the `replayFlags` values applied (already checked). */
  replayTask?(recorded: TTask, flags: Record<string, unknown>, cwd: string): Promise<TTask> | TTask;
  /** Commands the pipeline brings to the CLI (`refinery bench <pipeline>`). */
  commands?: readonly PipelineCommand[];
  /** A small run of this pipeline from recorded outputs: the record/replay conformance suite runs it. */
  example?: PipelineExample;
}

export interface AgentRequirement<TOptions = unknown> {
  /** Key under `agents:` in the config. */
  agent: string;
  /** Prompt roles the agent's `prompts:` must name (`system`, `user`, `repair`, ...). */
  prompts: readonly string[];
  /** When given, the agent is needed only for configs whose options make this true (`critic: model`). */
  when?: (options: TOptions) => boolean;
}

export interface PipelineStart<TState extends object> {
  /** A compiled LangGraph graph (anything with LangGraph's `stream`). */
  graph: StreamableGraph<TState>;
  /** The graph's input; default `{}`. */
  input?: Partial<TState>;
  /** LangGraph's recursion limit: the most node steps one run may take. */
  stepLimit: number;
  /** Runs after the graph ends, however it ends (an engine lease, a pool). */
  release?(): Promise<void> | void;
}

export interface StreamableGraph<TState> {
  stream(
    input: Partial<TState> | null,
    options: {
      streamMode: 'values';
      recursionLimit: number;
      signal: AbortSignal;
      /** The run's thread (`thread_id`) when the spine checkpoints it; `durability: 'sync'`. */
      configurable?: Record<string, unknown>;
      durability?: 'sync' | 'async' | 'exit';
    },
  ): Promise<AsyncIterable<unknown>>;
  /** Set by the spine before streaming: the run's LangGraph checkpointer (LangGraph's own `checkpointer` field). */
  checkpointer?: unknown;
}

/** How the graph's run ended, as the spine saw it. */
export type RunEnding =
  | { kind: 'completed' }
  | { kind: 'budget'; budget: BudgetName; message: string }
  | { kind: 'step-limit'; limit: number; message: string }
  | { kind: 'cancelled'; message: string };

export interface PipelineVerdict {
  status: Extract<ExitStatus, 'passed' | 'failed' | 'diverged'>;
  summary: string;
}

export interface PipelineOutcome<TResult = unknown> {
  status: ExitStatus;
  result: TResult;
  summary: string;
}

/**
 * A definition whose type parameters are not known here (the registry's view). `any`, not `unknown`: a definition
 * takes its task and options as inputs (`start`, `agents[].when`), so `PipelineDefinition<RefineTask, ...>` is not
 * assignable to `PipelineDefinition<unknown, ...>`, and TypeScript has no existential types.
 */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds pipelines of different types (see above)
export type AnyPipelineDefinition = PipelineDefinition<any, any, any, any>;

/** The pipelines one Refinery knows (a `PipelineRegistry`), as commands and the spine see them. */
export interface PipelineSet {
  get(name: string): AnyPipelineDefinition | undefined;
  names(): string[];
  all(): AnyPipelineDefinition[];
  /** A copy where these definitions replace (or join) the ones of the same name. */
  with(...definitions: AnyPipelineDefinition[]): PipelineSet;
}

/**
 * A command a pipeline brings to the CLI, found through the registry; the spine's CLI never names a pipeline.
 * `bench`: `refinery bench <pipeline> [flags]` (`refinery bench codet`). `standalone`: a top-level verb of its own,
 * `refinery <name> [flags]` (Mokav's `refinery difftest`), whose name must be neither a spine command's nor
 * another pipeline's.
 */
export interface PipelineCommand {
  verb: 'bench' | 'standalone';
  /** The verb of a `standalone` command (`difftest`); unused for `bench`. */
  name?: string;
  /** One line for `refinery --help`. */
  summary: string;
  /** Its flags (see {@link FlagSchema}): `refinery <verb> <pipeline> --help` is generated from them. */
  flags: FlagSchema;
  /** Longer help printed after the flags (what the command prints, where its inputs come from); optional. */
  help?: string;
  /** Runs the command with the flag values (checked by `flags`); returns the process exit code. */
  run(flags: Record<string, unknown>, services: PipelineCommandServices): Promise<number>;
}

export interface PipelineCommandServices {
  /** The pipelines the CLI was started with (a bench may bind its own definition over them). */
  pipelines: PipelineSet;
  cwd: string;
}

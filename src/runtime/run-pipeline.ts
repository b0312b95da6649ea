import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { BudgetExhaustedError } from '../budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../budget/budget-tracker.ts';
import { type LoadedConfig, loadPipelineConfig, projectRoot } from '../config/load-pipeline-config.ts';
import { type PipelineConfig, pipelineConfigSchema } from '../config/pipeline-config-schema.ts';
import { classifyError } from '../errors/classify-error.ts';
import { RefineryError } from '../errors/refinery-error.ts';
import type { Executor } from '../execution/execution-types.ts';
import type { ModelClient } from '../models/model-types.ts';
import { RecordedLedger } from '../replay/recorded-ledger.ts';
import { RecordingExecutor } from '../replay/recording-executor.ts';
import { StepRecorder } from '../replay/step-recorder.ts';
import { type ReplaySource, TrajectoryModelClient } from '../replay/trajectory-model-client.ts';
import type { RunStore } from '../store/run-store.ts';
import { type HeaderEvent, TRAJECTORY_SCHEMA_VERSION } from '../trajectory/trajectory-events.ts';
import { type ParsedTrajectory, readTrajectory } from '../trajectory/trajectory-reader.ts';
import { TrajectoryWriter } from '../trajectory/trajectory-writer.ts';
import { checkModelsReady } from './check-models-ready.ts';
import { EXIT_CODES, type ExitStatus } from './exit-status.ts';
import { nodeStepsStarted, restoreNodeSteps } from './instrument-node.ts';
import { loadTaskFile, validateTask } from './load-task.ts';
import { pipelineChecks } from './pipeline-checks.ts';
import type { AnyPipelineDefinition, PipelineSet } from './pipeline-definition.ts';
import { flagFor, parsePipelineFlags } from './pipeline-flags.ts';
import { type ProgressReporter, silentProgress } from './progress-reporter.ts';
import { loadPromptTemplate } from './prompt-template.ts';
import { planResume, planResumeOf, type ResumeLedgers, type ResumePlan, resumeLedgers } from './resume-plan.ts';
import { RunCancelledError } from './run-cancelled-error.ts';
import { checkpointPathFor, openRunCheckpointer, type RunCheckpointer } from './run-checkpointer.ts';
import type { AnyRunContext, RunContext, RunMode } from './run-context.ts';
import { newRunId } from './run-id.ts';
import { runPipelineGraph } from './run-pipeline-graph.ts';
import { createSpineExecutor, createSpineModelClient } from './spine-factories.ts';
import { TaskError } from './task-error.ts';
import { REFINERY_VERSION } from './version.ts';

export interface RunPipelineOptions {
  /** The pipelines this run may use; the config's `graph:` names one of them. */
  pipelines: PipelineSet;
  /** Live run: the pipeline YAML. */
  configPath?: string;
  /**
   * Live run: the config already loaded (`loadPipelineConfig` with the run's `set`, environment and
   * `pipelineChecks`), instead of reading `configPath`: a caller running many tasks with one config (a benchmark)
   * loads it once. The trajectory records it as if the run had read the file.
   */
  loadedConfig?: LoadedConfig;
  set?: string[];
  taskFile?: string;
  task?: unknown;
  /** Values of the pipeline's `runFlags` (keys as in its schema, e.g. `testCmd`), for its `taskFromFlags`. */
  taskFlags?: Record<string, unknown>;
  replay?: {
    trajectoryPath: string;
    exec: 'live' | 'recorded';
    onDivergence: 'stop' | 'live';
    /** Values of the recorded pipeline's `replayFlags` (e.g. `{ repo }`), applied to the recorded task by its `replayTask`. */
    flags?: Record<string, unknown>;
    /** The recording, already read (from a run store); `trajectoryPath` then only names it. */
    trajectory?: ParsedTrajectory;
  };
  /**
   * Continue a run that was killed (or cancelled) from its last checkpoint, appending to its trajectory
   * (`refinery resume`); config, task and run id come from the trajectory's header.
   */
  resume?: { trajectoryPath: string } | { runId: string };
  /**
   * A run store (src/store/): the trajectory and the checkpoints go there under the run id (a replay's too),
   * and `resume: { runId }` continues a run it holds.
   */
  store?: RunStore;
  /**
   * LangGraph checkpoints of a live run, in `<trajectory>.checkpoints.sqlite` (deleted when the run ends, kept
   * after a cancel): `sqlite` (default when a trajectory is written) or `none`. Replays keep none.
   */
  checkpoints?: 'sqlite' | 'none';
  /** Where to write the trajectory; `null` writes none; default `<trajectory.dir>/<runId>.jsonl`. */
  trajectoryPath?: string | null;
  progress?: ProgressReporter;
  /** Model clients by `models.<name>` key, replacing the configured providers (recorded outputs, tests). */
  models?: Record<string, ModelClient>;
  executor?: Executor;
  /** Aborts the run: it ends with status `cancelled` and the pipeline's partial result. */
  signal?: AbortSignal;
  /**
   * Stops the run at the next step boundary instead: the running nodes finish (their model calls answered and
   * recorded), then it ends `cancelled`, so a resume sends none of them again (a worker stopping).
   */
  stopAfterStep?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  runId?: string;
  onWarning?: (message: string) => void;
  /** Called with the writer before the header is written (e.g. to stream events as JSON). */
  onTrajectory?: (writer: TrajectoryWriter) => void;
}

export interface RunPipelineResult<TResult = unknown> {
  runId: string;
  status: ExitStatus;
  exitCode: number;
  /** The pipeline's result (its `resultSchema`), partial after a budget stop; null after an error. */
  result: TResult | null;
  summary: string;
  trajectoryPath: string | null;
  error?: Error;
}

interface PreparedRun {
  config: PipelineConfig;
  redactedConfig: unknown;
  configPath: string;
  baseDir: string;
  secrets: string[];
  task: unknown;
  mode: RunMode;
  replaySource?: { models: ReplaySource; steps: ConstructorParameters<typeof StepRecorder>[2] };
}

/** Runs one pipeline end to end, live or from a recording, and always writes a final event. */
export async function runPipeline(options: RunPipelineOptions): Promise<RunPipelineResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const resumePlan = options.resume ? await resumePlanOf(options.resume, options.store, cwd, env) : undefined;
  const prepared = resumePlan
    ? prepareResume(resumePlan, cwd)
    : options.replay
      ? prepareReplay(options, cwd)
      : await prepareLive(options, cwd, env);
  const definition: AnyPipelineDefinition | undefined = options.pipelines.get(prepared.config.graph);
  if (!definition)
    throw new TaskError(
      prepared.configPath,
      'graph',
      `unknown graph '${prepared.config.graph}' (known: ${options.pipelines.names().join(', ')})`,
    );
  const pipelineOptions = definition.optionsSchema.parse(prepared.config.options);
  let task = prepared.task;
  if (resumePlan) {
    // The recorded task, as the killed run had it.
  } else if (options.replay) {
    const flags = definedValues(options.replay.flags);
    if (Object.keys(flags).length > 0) {
      if (!definition.replayFlags || !definition.replayTask)
        throw new TaskError(
          'refinery replay',
          flagFor(Object.keys(flags)[0]!),
          `unknown flag for graph '${definition.name}' (it takes no replay flags)`,
        );
      task = await definition.replayTask(
        task,
        parsePipelineFlags(definition.replayFlags, flags, 'refinery replay'),
        cwd,
      );
    }
  } else {
    const flags = definedValues(options.taskFlags);
    if (Object.keys(flags).length > 0) {
      if (!definition.runFlags || !definition.taskFromFlags)
        throw new TaskError(
          'refinery run',
          flagFor(Object.keys(flags)[0]!),
          `unknown flag for graph '${definition.name}'`,
        );
      const values = { ...(options.taskFile !== undefined ? { task: options.taskFile } : {}), ...flags };
      task = await definition.taskFromFlags(parsePipelineFlags(definition.runFlags, values, 'refinery run'), cwd);
    } else if (options.task !== undefined) task = validateTask('task', options.task, definition.taskSchema);
    else if (options.taskFile !== undefined) task = loadTaskFile(resolve(cwd, options.taskFile), definition.taskSchema);
    else throw new TaskError('--task', '', 'a task is required (--task FILE)');
  }
  // A resume checks too (its `${VAR}`s come from this environment): a missing key stops it before it touches the run.
  if (!options.replay)
    await checkModelsReady({
      config: prepared.config,
      configPath: prepared.configPath,
      cwd,
      baseDir: prepared.baseDir,
      set: resumePlan ? [] : options.set,
      env,
      overridden: options.models,
    });

  const runId = resumePlan?.header.runId ?? options.runId ?? newRunId();
  // With a store, the run's trajectory and checkpoints go there (unless a trajectory path was given).
  const store = options.trajectoryPath === undefined ? options.store : undefined;
  const trajectoryTarget = store
    ? store.trajectoryTarget(runId)
    : resumePlan
      ? resumePlan.trajectoryPath
      : options.trajectoryPath === null
        ? null
        : resolve(cwd, options.trajectoryPath ?? resolve(cwd, prepared.config.trajectory.dir, `${runId}.jsonl`));
  // A replay keeps no checkpoints (nothing resumes it): its file is written a node step at a time.
  const writer = new TrajectoryWriter(trajectoryTarget, prepared.secrets, resumePlan?.nextSeq ?? 0, {
    byStep: prepared.mode.kind === 'replay',
  });
  const trajectoryPath = writer.path;
  options.onTrajectory?.(writer);
  const budget = new BudgetTracker(prepared.config.budgets);
  const progress = options.progress ?? silentProgress;
  const controller = new AbortController();
  const cancel = () =>
    controller.abort(new RunCancelledError(String(options.signal?.reason ?? 'aborted by the caller')));

  if (!resumePlan)
    writer.write({
      type: 'header',
      schemaVersion: TRAJECTORY_SCHEMA_VERSION,
      refineryVersion: REFINERY_VERSION,
      runId,
      config: prepared.redactedConfig as Record<string, unknown>,
      configPath: prepared.configPath,
      baseDir: relative(cwd, prepared.baseDir) || '.',
      task,
      prompts: promptHashes(prepared.config, prepared.baseDir),
      ...(options.replay
        ? {
            replayOf: options.replay.trajectory
              ? options.replay.trajectory.path
              : relative(cwd, resolve(cwd, options.replay.trajectoryPath)),
          }
        : {}),
    });

  let callIndex = 0;
  const ctx: AnyRunContext = {
    runId,
    config: prepared.config,
    baseDir: prepared.baseDir,
    options: pipelineOptions,
    task,
    executor: undefined as unknown as Executor,
    trajectory: writer,
    budget,
    progress,
    currentNode: { name: 'start', step: 0 },
    signal: controller.signal,
    ...(options.stopAfterStep ? { stopAfterStep: options.stopAfterStep } : {}),
    mode: prepared.mode,
    modelFor: undefined as unknown as RunContext['modelFor'],
    recordedStep: undefined as unknown as RunContext['recordedStep'],
  };
  // Checkpoints: a live run with a trajectory saves one after every step; a resume continues from the last.
  let checkpointer: RunCheckpointer | undefined;
  if (trajectoryPath !== null && !options.replay && options.checkpoints !== 'none') {
    try {
      const mark = () => ({
        seq: writer.nextSeq,
        totals: budget.totals(),
        nodeSteps: nodeStepsStarted(ctx),
        modelCalls: callIndex,
      });
      checkpointer = store
        ? await store.openCheckpointer(runId, mark, () => writer.durable())
        : await openRunCheckpointer(checkpointPathFor(trajectoryPath), mark, () => writer.durable());
    } catch (cause) {
      // better-sqlite3 is a native module: where it did not build, the run goes on without checkpoints.
      if (resumePlan) throw cause;
      options.onWarning?.(
        `no checkpoints for this run (it cannot be resumed): ${(cause as Error).message.split('\n')[0]}`,
      );
    }
  }
  let resumed: { ledgers: ResumeLedgers; state: Record<string, unknown> | undefined } | undefined;
  if (resumePlan) {
    const saved = await checkpointer?.latest(runId);
    const ledgers = resumeLedgers(resumePlan, saved);
    resumed = { ledgers, state: saved?.values };
    budget.restore(ledgers.totals);
    callIndex = ledgers.mark?.modelCalls ?? 0;
    restoreNodeSteps(ctx, ledgers.mark?.nodeSteps ?? 0);
    ctx.resume = { trajectoryPath: resumePlan.trajectoryPath, state: saved?.values };
    writer.write(resumeEventOf(resumePlan, ledgers, saved?.step ?? null));
  }
  const steps = new StepRecorder(
    writer,
    () => ctx.currentNode.name,
    prepared.replaySource?.steps,
    resumed?.ledgers.steps,
  );
  ctx.recordedStep = (kind, request, run) => steps.run(kind, request, run);
  let liveExecutor: Executor | undefined = options.executor;
  ctx.executor = new RecordingExecutor(
    () => (liveExecutor ??= createSpineExecutor(prepared.config, options.onWarning)),
    steps,
  );
  const agentClients = new Map<string, ReturnType<RunContext['modelFor']>>();
  ctx.modelFor = (agent) => {
    const cached = agentClients.get(agent);
    if (cached) return cached;
    const modelName = prepared.config.agents[agent]?.model;
    if (!modelName)
      throw new TaskError(prepared.configPath, `agents.${agent}.model`, `agent '${agent}' is not configured`);
    const modelConfig = prepared.config.models[modelName];
    if (!modelConfig)
      throw new TaskError(prepared.configPath, `agents.${agent}.model`, `no model named '${modelName}' under models`);
    const override = options.models?.[modelName];
    let live: ModelClient | undefined = override;
    const client = new TrajectoryModelClient({
      agent,
      trajectory: writer,
      budget,
      currentNode: () => ctx.currentNode.name,
      nextCallIndex: () => callIndex++,
      live: () =>
        (live ??= createSpineModelClient(modelConfig, {
          budget,
          pricing: prepared.config.pricing,
          onWarning: options.onWarning,
          configKey: modelName,
          baseDir: prepared.baseDir,
        })),
      liveRecordsBudget: override === undefined && modelConfig.provider !== 'recorded',
      ...(prepared.replaySource ? { replay: prepared.replaySource.models } : {}),
      ...(resumed ? { answered: resumed.ledgers.models } : {}),
    });
    const entry = {
      client,
      provider: modelConfig.provider,
      model: modelConfig.name,
      params: { ...modelConfig.params },
    };
    agentClients.set(agent, entry);
    return entry;
  };

  let status: ExitStatus;
  let result: unknown = null;
  let summary: string;
  let error: Error | undefined;
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  // The wall budget also cuts a node that is still running (a long execution) when time is up.
  const wallMs = budget.remainingWallMs();
  const wallTimer = Number.isFinite(wallMs)
    ? setTimeout(
        () => controller.abort(new BudgetExhaustedError('time', wallMs / 1000, prepared.config.budgets.wallSeconds!)),
        wallMs,
      )
    : undefined;
  try {
    const outcome = await runPipelineGraph(
      definition,
      ctx,
      checkpointer ? { saver: checkpointer.saver, threadId: runId, resumeFrom: resumed } : undefined,
      options.stopAfterStep,
    );
    status = outcome.status;
    result = outcome.result;
    summary = outcome.summary;
  } catch (caught) {
    error = caught instanceof Error ? caught : new Error(String(caught));
    // By class: bad input found during the run (a missing repository, prompt or recording) ends it with
    // `invalid-input` (exit 2), a budget with its `exhausted:*`, a divergence with `diverged`, the rest `error`.
    status = classifyError(caught).status;
    summary = status === 'error' ? `${error.name}: ${error.message}` : error.message;
  } finally {
    clearTimeout(wallTimer);
    options.signal?.removeEventListener('abort', cancel);
  }
  const exitCode = EXIT_CODES[status];
  writer.write({
    type: 'final',
    status,
    exitCode,
    result,
    totals: budget.totals(),
    ...(error ? { error: { name: error.name, message: error.message } } : {}),
  });
  // A cancelled run keeps its checkpoints (`refinery resume` continues it), and so does a refused resume (the
  // user may undo what made it refuse); any other ending needs them no more: they are removed once the final event
  // is durable (a store deletes them in the statement that stores it).
  const checkpointsEnd =
    status === 'cancelled' || RefineryError.isInstance(error, 'RESUME_REFUSED')
      ? checkpointer?.close()
      : checkpointer?.remove();
  await Promise.all([writer.closeDurably(), checkpointsEnd]);
  progress.finish(`${status}: ${summary}`);
  return { runId, status, exitCode, result, summary, trajectoryPath, ...(error ? { error } : {}) };
}

async function prepareLive(options: RunPipelineOptions, cwd: string, env: NodeJS.ProcessEnv): Promise<PreparedRun> {
  if (!options.configPath && !options.loadedConfig)
    throw new TaskError('refinery run', 'CONFIG', 'a pipeline config file is required');
  const loaded =
    options.loadedConfig ??
    (await loadPipelineConfig(resolve(cwd, options.configPath!), {
      set: options.set ?? [],
      env,
      ...pipelineChecks(options.pipelines),
    }));
  return {
    config: loaded.config,
    redactedConfig: loaded.redacted,
    configPath: relative(cwd, loaded.path) || loaded.path,
    baseDir: loaded.baseDir,
    secrets: loaded.secrets,
    task: options.task,
    mode: { kind: 'live' },
  };
}

function prepareResume(plan: ResumePlan, cwd: string): PreparedRun {
  const header = plan.header;
  return {
    config: plan.config,
    redactedConfig: header.config,
    configPath: header.configPath ?? plan.trajectoryPath,
    baseDir: replayBaseDir(header, cwd, plan.trajectoryPath, header.configPath ?? plan.trajectoryPath),
    secrets: plan.secrets,
    task: header.task,
    mode: { kind: 'live' },
  };
}

function resumeEventOf(plan: ResumePlan, ledgers: ResumeLedgers, checkpointStep: number | null) {
  return {
    type: 'resume' as const,
    fromSeq: ledgers.fromSeq,
    checkpointStep,
    droppedBytes: plan.droppedBytes,
    totals: ledgers.totals,
    ...(plan.after !== undefined ? { after: plan.after } : {}),
  };
}

/** The resume plan of a run: its trajectory file, or the run id in the store. */
async function resumePlanOf(
  resume: NonNullable<RunPipelineOptions['resume']>,
  store: RunStore | undefined,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ResumePlan> {
  if ('trajectoryPath' in resume) return planResume(resolve(cwd, resume.trajectoryPath), env);
  if (!store) throw new TaskError('refinery resume', '--store', `run ${resume.runId}: a run id needs a store`);
  if (store.kind === 'directory') return planResume(store.trajectoryTarget(resume.runId) as string, env);
  return planResumeOf(await store.readTrajectory(resume.runId), `${store.label} run ${resume.runId}`, env);
}

function prepareReplay(options: RunPipelineOptions, cwd: string): PreparedRun {
  const replay = options.replay!;
  const trajectory = replay.trajectory ?? readTrajectory(resolve(cwd, replay.trajectoryPath));
  const config = pipelineConfigSchema.parse(trajectory.header.config);
  const configPath = trajectory.header.configPath ?? replay.trajectoryPath;
  const state = { diverged: false };
  return {
    config,
    redactedConfig: trajectory.header.config,
    configPath,
    baseDir: replayBaseDir(trajectory.header, cwd, trajectory.path, configPath),
    secrets: [],
    task: trajectory.header.task,
    mode: { kind: 'replay', exec: replay.exec, onDivergence: replay.onDivergence, trajectoryPath: trajectory.path },
    replaySource: {
      models: { ledger: RecordedLedger.modelCalls(trajectory.events), onDivergence: replay.onDivergence, state },
      steps: {
        ledger: RecordedLedger.steps(trajectory.events),
        exec: replay.exec,
        onDivergence: replay.onDivergence,
        state,
      },
    },
  };
}

function definedValues(values: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined));
}

function promptHashes(config: PipelineConfig, baseDir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const agent of Object.values(config.agents))
    for (const file of Object.values(agent.prompts ?? {})) {
      try {
        hashes[file] = loadPromptTemplate(file, baseDir).sha256;
      } catch {
        hashes[file] = 'missing';
      }
    }
  return hashes;
}

/**
 * Where a replay finds the prompt files: the recorded base directory, relative to the working directory (a
 * replay from where the run was recorded); when the recorded prompts are not there, the project holding the
 * trajectory (a shipped trajectory replayed from elsewhere, e.g. from an installed package).
 */
function replayBaseDir(header: HeaderEvent, cwd: string, trajectoryPath: string, configPath: string): string {
  const recorded =
    header.baseDir !== undefined ? resolve(cwd, header.baseDir) : projectRoot(dirname(resolve(cwd, configPath)));
  const prompts = Object.keys(header.prompts ?? {});
  const holdsPrompts = (dir: string) => prompts.every((file) => existsSync(resolve(dir, file)));
  if (holdsPrompts(recorded)) return recorded;
  const beside = projectRoot(dirname(trajectoryPath));
  return holdsPrompts(beside) ? beside : recorded;
}

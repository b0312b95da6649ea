import { closeSync, existsSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { interpolateEnv } from '../config/env-interpolation.ts';
import { type PipelineConfig, pipelineConfigSchema } from '../config/pipeline-config-schema.ts';
import { RecordedLedger, type RecordedModelOutcome } from '../replay/recorded-ledger.ts';
import type { BudgetTotals, HeaderEvent, TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import { type ParsedTrajectory, readTrajectory } from '../trajectory/trajectory-reader.ts';
import { ResumeError } from './resume-error.ts';
import { type CheckpointMark, checkpointPathFor, type SavedCheckpoint } from './run-checkpointer.ts';

/** What `runPipeline` needs to continue a killed (or cancelled) run where its last checkpoint left it. */
export interface ResumePlan {
  trajectoryPath: string;
  checkpointPath: string;
  header: HeaderEvent;
  config: PipelineConfig;
  /** Values of `${VAR}`s in the recorded config, to redact again. */
  secrets: string[];
  /** The seq the resumed run writes next (after the file's last event). */
  nextSeq: number;
  droppedBytes: number;
  /** Status of the final event the file ends with (a cancelled run, a refused resume), if any. */
  after?: string;
  /** The prefix's events, for the plan's second half ({@link completeResumePlan}). */
  events: TrajectoryEvent[];
}

export interface ResumeLedgers {
  fromSeq: number;
  totals: BudgetTotals;
  mark: CheckpointMark | undefined;
  models: RecordedLedger<RecordedModelOutcome>;
  steps: RecordedLedger<unknown>;
}

const ZERO_TOTALS: BudgetTotals = {
  iterations: 0,
  modelCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  wallMs: 0,
};

/**
 * Reads a run's trajectory for a resume: refuses a run that finished or a replay, cuts a torn last line off the
 * file (a run killed while writing it), and rebuilds the recorded config with the `${VAR}`s from `env`.
 */
export function planResume(trajectoryPath: string, env: NodeJS.ProcessEnv): ResumePlan {
  if (!existsSync(trajectoryPath)) throw new ResumeError(trajectoryPath, 'no such trajectory');
  const droppedBytes = cutTornLine(trajectoryPath);
  return planResumeOf(readTrajectory(trajectoryPath), trajectoryPath, env, droppedBytes);
}

/**
 * The resume plan of a trajectory already read (from a run store, whose events are whole rows: nothing is torn);
 * `trajectoryPath` names it (undefined trajectory: no such run).
 */
export function planResumeOf(
  trajectory: ParsedTrajectory | undefined,
  trajectoryPath: string,
  env: NodeJS.ProcessEnv,
  droppedBytes = 0,
): ResumePlan {
  if (!trajectory) throw new ResumeError(trajectoryPath, 'no such run');
  const { header, events } = trajectory;
  if (header.replayOf !== undefined)
    throw new ResumeError(
      trajectoryPath,
      `this is a replay of ${header.replayOf}; a replay is not resumed, run the replay again`,
    );
  const last = events.at(-1)!;
  // A cancelled run, or a resume that was refused (a worktree changed by hand, since undone), continues.
  if (last.type === 'final' && last.status !== 'cancelled' && last.error?.name !== 'ResumeError')
    throw new ResumeError(trajectoryPath, `the run already ended (status ${last.status}); nothing to resume`);
  const { config, secrets } = recordedConfig(header, env, trajectoryPath);
  return {
    trajectoryPath,
    checkpointPath: checkpointPathFor(trajectoryPath),
    header,
    config,
    secrets,
    nextSeq: last.seq + 1,
    droppedBytes,
    ...(last.type === 'final' ? { after: last.status } : {}),
    events,
  };
}

/**
 * The events after the checkpoint (those of the nodes that run again) as ledgers of answered model calls and
 * executions, and the budget totals at the checkpoint. Without a checkpoint (killed before LangGraph saved the
 * input) the run starts over from its input, answering every call the prefix holds.
 */
export function resumeLedgers(plan: ResumePlan, saved: SavedCheckpoint | undefined): ResumeLedgers {
  const fromSeq = saved?.mark?.seq ?? plan.header.seq + 1;
  // A call cut off by the cancellation (a worker stopped, Ctrl-C) was never answered: it is sent again, not
  // replayed as the error the run ended with.
  const after = plan.events.filter(
    (e) => e.seq >= fromSeq && !(e.type === 'model_error' && e.error.name === 'RunCancelledError'),
  );
  return {
    fromSeq,
    totals: saved?.mark?.totals ?? ZERO_TOTALS,
    mark: saved?.mark,
    models: RecordedLedger.modelCalls(after),
    steps: RecordedLedger.steps(after),
  };
}

/** Cuts a torn last line (no trailing newline) off the file; returns the bytes dropped. */
function cutTornLine(path: string): number {
  const bytes = readFileSync(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return 0;
  const keep = bytes.lastIndexOf(0x0a) + 1;
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, keep);
  } finally {
    closeSync(fd);
  }
  return bytes.length - keep;
}

function recordedConfig(
  header: HeaderEvent,
  env: NodeJS.ProcessEnv,
  trajectoryPath: string,
): { config: PipelineConfig; secrets: string[] } {
  const secrets: string[] = [];
  const missing: string[] = [];
  const expand = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const out = interpolateEnv(value, env);
      secrets.push(...out.secrets);
      missing.push(...out.missing);
      return out.value;
    }
    if (Array.isArray(value)) return value.map(expand);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
    return value;
  };
  const expanded = expand(header.config);
  if (missing.length > 0)
    throw new ResumeError(
      trajectoryPath,
      `the recorded config needs ${[...new Set(missing)].map((m) => `$${m}`).join(', ')} (unset)`,
    );
  return { config: pipelineConfigSchema.parse(expanded), secrets };
}

/** The trajectory of RUN_ID: a path to a `.jsonl` file as given, else `<dir>/<RUN_ID>.jsonl`. */
export function trajectoryOfRun(runIdOrPath: string, cwd: string, dir = 'runs'): string {
  if (runIdOrPath.endsWith('.jsonl') || runIdOrPath.includes('/')) return resolve(cwd, runIdOrPath);
  return resolve(cwd, dir, `${runIdOrPath}.jsonl`);
}

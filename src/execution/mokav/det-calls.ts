import { readFileSync } from 'node:fs';
import type { PyValue } from '../../techniques/mokav/python-value.ts';
import { separateVerdict } from '../../techniques/mokav/separate-verdict.ts';
import type { StateDifference, VariableValues } from '../../techniques/mokav/state-difference.ts';
import { stateDifference } from '../../techniques/mokav/state-difference.ts';
import type { Verdict } from '../../techniques/mokav/verdicts.ts';
import type { CallOutcome, CallsRequest, CallsResult, MatrixCallOptions } from '../matrix/matrix-engine.ts';

/** det-harness.py: registered with the engine's workers once per content (the engine hashes it). */
export const DET_HARNESS = readFileSync(new URL('./det-harness.py', import.meta.url), 'utf8');

/** What runs the harness: the shared engine's third operation (`MatrixEngine.runCalls`). */
export interface CallRunner {
  runCalls(request: CallsRequest, options?: MatrixCallOptions): Promise<CallsResult>;
}

/** A version of the program: source exec'd into a fresh namespace, or a module among a revision's Python files. */
export type Subject =
  | { source: string; function: string; filename: string }
  | { files: Record<string, string>; module: string; function: string };

/** Texts of a returned value: `str` (what Mokav printed) and `repr` (what a test file pins), each capped. */
export interface ValueTexts {
  str: string;
  repr: string;
}

export interface DetOutcome {
  verdict: Verdict;
  /** Q's and P's returned values, when they returned. */
  q?: ValueTexts;
  p?: ValueTexts;
  /** The exception class, the limit ('cpu' | 'wall') or 'NoResult'. */
  error?: string;
  cpuSec: number;
  wallMs: number;
  cached: boolean;
}

export interface Limits {
  /** One CPU-time limit for Q and P together (RLIMIT_CPU in the call's process): load cannot flip a verdict. */
  cpuLimitSec: number;
  /** Wall ceiling for programs that sleep or block; the engine's default is 2 × cpu + 1. */
  wallLimitSec?: number;
}

export interface DetBatch {
  outcomes: DetOutcome[];
  stats: CallsResult['stats'];
}

/** Q(*args) then P(*args) per call, on separate deep copies of the arguments, under one limit for both. */
export async function runDetCalls(
  engine: CallRunner,
  calls: readonly { q: Subject; p: Subject; args: PyValue[] }[],
  limits: Limits,
  options?: MatrixCallOptions,
): Promise<DetBatch> {
  if (calls.length === 0) return { outcomes: [], stats: { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 } };
  const result = await engine.runCalls(
    { harness: DET_HARNESS, jobs: calls.map((call) => ({ op: 'det', ...call })), ...limits },
    options,
  );
  return { outcomes: result.outcomes.map(detOutcome), stats: result.stats };
}

function detOutcome(outcome: CallOutcome): DetOutcome {
  const base = { cpuSec: outcome.cpuSec, wallMs: outcome.wallMs, cached: outcome.cached };
  if (outcome.status === 'timeout') return { verdict: 'TIMEOUT', error: outcome.error ?? 'cpu', ...base };
  if (outcome.status === 'crashed') return { verdict: 'ERROR', error: outcome.error ?? 'NoResult', ...base };
  const value = outcome.value as { verdict: Verdict; q?: ValueTexts; p?: ValueTexts; error?: string };
  return { ...value, ...base };
}

export type SubjectCallOutcome =
  | ({ status: 'ok'; literal: boolean } & ValueTexts)
  | { status: 'error' | 'load-error' | 'timeout' | 'crashed'; error: string };

/** One version alone per call (difftest: each revision in its own process, as both define the same module names). */
export async function runSubjectCalls(
  engine: CallRunner,
  calls: readonly { subject: Subject; args: PyValue[] }[],
  limits: Limits,
  options?: MatrixCallOptions,
): Promise<SubjectCallOutcome[]> {
  const result = await engine.runCalls(
    { harness: DET_HARNESS, jobs: calls.map((call) => ({ op: 'call', ...call })), ...limits },
    options,
  );
  return result.outcomes.map((outcome): SubjectCallOutcome => {
    if (outcome.status === 'ok') return outcome.value as SubjectCallOutcome;
    return { status: outcome.status, error: outcome.error ?? outcome.status };
  });
}

export interface ExampleRun {
  /** Q's printed output on the example input ('' when it raised or ran out of time, as Mokav's stdout was). */
  patchedOutput: string;
  /** E: the state difference on the example input, when asked for. */
  difference: StateDifference | null;
}

/**
 * The prepare step: Q on the example input (its printed output) and, with E, both versions under the variable
 * tracer (without E, Q runs untraced). One request.
 */
export async function runExample(
  engine: CallRunner,
  q: Subject,
  p: Subject,
  args: PyValue[],
  withTrace: boolean,
  limits: Limits,
  options?: MatrixCallOptions,
): Promise<ExampleRun> {
  const op = withTrace ? 'trace' : 'call';
  const jobs = [{ op, subject: q, args }, ...(withTrace ? [{ op, subject: p, args }] : [])];
  const result = await engine.runCalls({ harness: DET_HARNESS, jobs, ...limits }, options);
  const [qOut, pOut] = result.outcomes.map((outcome) =>
    outcome.status === 'ok' ? (outcome.value as { status: string; str?: string; vars?: VariableValues }) : null,
  );
  const patchedOutput = qOut?.status === 'ok' ? (qOut.str ?? '') : '';
  const difference = withTrace ? stateDifference(qOut?.vars ?? [], pOut?.vars ?? []) : null;
  return { patchedOutput, difference };
}

/**
 * P and Q in separate processes, each twice per input (difftest: both revisions define the same module names; a
 * difference that does not reproduce is flakiness, not a DET). Outputs compared by `repr`.
 */
export async function runSeparateDetCalls(
  engine: CallRunner,
  calls: readonly { q: Subject; p: Subject; args: PyValue[] }[],
  limits: Limits,
  options?: MatrixCallOptions,
): Promise<DetBatch> {
  if (calls.length === 0) return { outcomes: [], stats: { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 } };
  // Each run is its own job: a `nonce` keeps the second run of a version from being answered by the first.
  const jobs = calls.flatMap((call) =>
    [call.q, call.p, call.q, call.p].map((subject, i) => ({
      op: 'call',
      subject,
      args: call.args,
      run: i < 2 ? 1 : 2,
    })),
  );
  const result = await engine.runCalls({ harness: DET_HARNESS, jobs, ...limits }, options);
  const runs = result.outcomes.map((outcome): SubjectCallOutcome => {
    if (outcome.status === 'ok') return outcome.value as SubjectCallOutcome;
    return { status: outcome.status, error: outcome.error ?? outcome.status };
  });
  const outcomes = calls.map((_, index): DetOutcome => {
    const [q1, p1, q2, p2] = runs.slice(4 * index, 4 * index + 4) as [
      SubjectCallOutcome,
      SubjectCallOutcome,
      SubjectCallOutcome,
      SubjectCallOutcome,
    ];
    const raw = result.outcomes.slice(4 * index, 4 * index + 4);
    const { verdict, error } = separateVerdict([q1, q2], [p1, p2]);
    return {
      verdict,
      ...(error ? { error } : {}),
      ...(q1.status === 'ok' ? { q: { str: q1.str, repr: q1.repr } } : {}),
      ...(p1.status === 'ok' ? { p: { str: p1.str, repr: p1.repr } } : {}),
      cpuSec: raw.reduce((sum, o) => sum + o.cpuSec, 0),
      wallMs: raw.reduce((sum, o) => sum + o.wallMs, 0),
      cached: raw.every((o) => o.cached),
    };
  });
  return { outcomes, stats: result.stats };
}

/** Loads each subject: its function's source, or why it does not load (an entry point missing at a revision). */
export async function probeSubjects(
  engine: CallRunner,
  subjects: readonly Subject[],
  limits: Limits,
  options?: MatrixCallOptions,
): Promise<({ ok: true; source: string } | { ok: false; error: string })[]> {
  const result = await engine.runCalls(
    { harness: DET_HARNESS, jobs: subjects.map((subject) => ({ op: 'probe', subject })), ...limits },
    options,
  );
  return result.outcomes.map((outcome) => {
    const value = outcome.value as { status: string; source?: string; error?: string } | undefined;
    if (outcome.status === 'ok' && value?.status === 'ok') return { ok: true as const, source: value.source ?? '' };
    return { ok: false as const, error: value?.error ?? outcome.error ?? outcome.status };
  });
}

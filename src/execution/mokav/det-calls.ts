import { readFileSync } from 'node:fs';
import type { PyValue } from '../../techniques/mokav/python-value.ts';
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

/** A version of the program: source exec'd into a fresh namespace, or a module imported from a directory. */
export type Subject =
  | { source: string; function: string; filename: string }
  | { path: string; module: string; function: string };

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
  | ({ status: 'ok' } & ValueTexts)
  | { status: 'error' | 'load-error' | 'timeout' | 'crashed'; error: string };

/** One version alone per call (difftest: each revision in its own process, as both define the same names). */
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

import type { ExitStatus } from '../runtime/exit-status.ts';

/**
 * Stable codes of the errors Refinery throws, one per error class; match on these (or on `exitStatus`), not on
 * messages. A pipeline may add its own codes.
 */
export type RefineryErrorCode =
  | 'CONFIG_INVALID'
  | 'TASK_INVALID'
  | 'USAGE_INVALID'
  | 'PROMPT_INVALID'
  | 'TRAJECTORY_FORMAT'
  | 'RECORDING_FORMAT'
  | 'RECORDED_SAMPLE'
  | 'MODEL_CONFIG'
  | 'MODEL_HTTP'
  | 'MODEL_CONNECTION'
  | 'MODEL_RESPONSE'
  | 'MODEL_TIMEOUT'
  | 'MODEL_REPLAYED'
  | 'EDIT_PARSE'
  | 'WORKSPACE'
  | 'TEST_COMPILE_CHECK'
  | 'BUDGET_EXHAUSTED'
  | 'REPLAY_DIVERGED'
  | 'RUN_CANCELLED'
  | 'TOOLCHAIN_MISSING'
  | 'EXECUTION_REQUEST_INVALID'
  | 'BATCH_WORKER'
  | (string & {});

/** Symbol.for keys live in the process-wide registry, so two loaded copies of this module share the marker. */
const MARKER = 'refinery.error';
const marker = Symbol.for(MARKER);

/**
 * Base of every error Refinery throws. Each subclass (one per file) has a stable `code` and the exit status a
 * run ends with when it escapes (`invalid-input` for bad input, exit 2; `error`, exit 3; a budget's
 * `exhausted:*`; `diverged`). Check with {@link RefineryError.isInstance} rather than `instanceof`: a library
 * user may load two copies of Refinery, and `instanceof` only knows its own copy.
 */
export abstract class RefineryError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it as Symbol.for(MARKER), from any copy
  private readonly [marker] = true;
  abstract readonly code: RefineryErrorCode;
  abstract readonly exitStatus: ExitStatus;

  /** Whether `value` is a Refinery error from any copy of Refinery; with `code`, also that it has that code. */
  static isInstance(value: unknown, code?: RefineryErrorCode): value is RefineryError {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[Symbol.for(MARKER)] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}

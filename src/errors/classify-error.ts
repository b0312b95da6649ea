import { EXIT_CODES, EXIT_STATUSES, type ExitStatus } from '../runtime/exit-status.ts';
import { RefineryError } from './refinery-error.ts';

export interface ErrorClassification {
  status: ExitStatus;
  exitCode: number;
}

/**
 * The run status and process exit code any thrown value maps to, by its class: a Refinery error (from any
 * loaded copy) carries its own `exitStatus`; anything else is an unexpected `error` (exit 3).
 */
export function classifyError(value: unknown): ErrorClassification {
  const status: ExitStatus =
    RefineryError.isInstance(value) && (EXIT_STATUSES as readonly string[]).includes(value.exitStatus)
      ? value.exitStatus
      : 'error';
  return { status, exitCode: EXIT_CODES[status] };
}

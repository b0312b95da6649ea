import { RefineryError } from '../errors/refinery-error.ts';

export class InvalidExecutionRequestError extends RefineryError {
  readonly code = 'EXECUTION_REQUEST_INVALID';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'InvalidExecutionRequestError';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`invalid execution request: ${field}: ${detail}`);
  }
}

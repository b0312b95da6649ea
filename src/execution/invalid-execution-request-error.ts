export class InvalidExecutionRequestError extends Error {
  override readonly name = 'InvalidExecutionRequestError';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`invalid execution request: ${field}: ${detail}`);
  }
}

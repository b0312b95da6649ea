import { RefineryError } from '../errors/refinery-error.ts';

/** Bad task input (missing file, invalid field): the CLI exits 2 with this message. */
export class TaskError extends RefineryError {
  readonly code = 'TASK_INVALID';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'TaskError';
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly detail: string,
  ) {
    super(`${file}${keyPath ? `: ${keyPath}` : ''}: ${detail}`);
  }
}

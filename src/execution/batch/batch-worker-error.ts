import { RefineryError } from '../../errors/refinery-error.ts';

/** A warm Python worker could not start or kept dying; names the interpreter and what it said. */
export class BatchWorkerError extends RefineryError {
  readonly code = 'BATCH_WORKER';
  readonly exitStatus = 'error';
  override readonly name = 'BatchWorkerError';
  constructor(
    readonly python: string,
    readonly reason: string,
    readonly stderr = '',
  ) {
    super(`batch worker (${python}): ${reason}${stderr ? `\n${stderr.trim().slice(-2000)}` : ''}`);
  }
}

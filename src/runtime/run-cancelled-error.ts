import { RefineryError } from '../errors/refinery-error.ts';

/** The reason a run's signal carries when its caller aborted it (Ctrl-C, a batch shutting down). */
export class RunCancelledError extends RefineryError {
  override readonly name = 'RunCancelledError';
  readonly code = 'RUN_CANCELLED';
  readonly exitStatus = 'cancelled';
  constructor(readonly reason: string) {
    super(`run cancelled: ${reason}`);
  }
}

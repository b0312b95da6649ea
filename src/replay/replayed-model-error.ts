import { RefineryError } from '../errors/refinery-error.ts';

/** A model error re-raised from a recording: same name and message as the original. */
export class ReplayedModelError extends RefineryError {
  readonly code = 'MODEL_REPLAYED';
  readonly exitStatus = 'error';
  constructor(
    readonly originalName: string,
    message: string,
  ) {
    super(message);
    this.name = originalName;
  }
}

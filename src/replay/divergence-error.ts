import { RefineryError } from '../errors/refinery-error.ts';

export class DivergenceError extends RefineryError {
  readonly code = 'REPLAY_DIVERGED';
  readonly exitStatus = 'diverged';
  override readonly name = 'DivergenceError';
  constructor(
    readonly kind: 'model' | 'execution',
    /** Ordinal of the model call, or of the step kind's occurrence, at which the run left the recording. */
    readonly step: number,
    readonly node: string,
    /** Unified-style diff between what the recording holds and what was asked now. */
    readonly diff: string,
  ) {
    super(`replay diverged at ${kind} step ${step} in node '${node}':\n${diff}`);
  }
}

import { RefineryError } from '../errors/refinery-error.ts';

export class TrajectoryFormatError extends RefineryError {
  readonly code = 'TRAJECTORY_FORMAT';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'TrajectoryFormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

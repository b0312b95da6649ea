import { RefineryError } from '../errors/refinery-error.ts';

/** A command line the CLI cannot use (an unknown flag, a missing or malformed value): exit 2 with this message. */
export class UsageError extends RefineryError {
  override readonly name = 'UsageError';
  readonly code = 'USAGE_INVALID';
  readonly exitStatus = 'invalid-input';
  constructor(
    /** The command, e.g. `refinery replay`. */
    readonly command: string,
    readonly detail: string,
  ) {
    super(`${command}: ${detail}`);
  }
}

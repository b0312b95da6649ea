import { RefineryError } from '../errors/refinery-error.ts';

/** A run that cannot be resumed (finished, a replay, no header, a worktree changed by hand): exit 2. */
export class ResumeError extends RefineryError {
  readonly code = 'RESUME_REFUSED';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'ResumeError';
  constructor(
    /** The trajectory (or run id) asked to resume. */
    readonly trajectory: string,
    readonly detail: string,
  ) {
    super(`${trajectory}: ${detail}`);
  }
}

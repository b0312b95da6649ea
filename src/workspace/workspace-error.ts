import { RefineryError } from '../errors/refinery-error.ts';

/** A git operation on the run's worktree failed for a reason other than bad input (exit status `error`). */
export class WorkspaceError extends RefineryError {
  readonly code = 'WORKSPACE';
  readonly exitStatus = 'error';
  override readonly name = 'WorkspaceError';
  constructor(
    readonly operation: string,
    /** Directory the git command ran in. */
    readonly dir: string,
    readonly detail: string,
  ) {
    super(`${operation} in ${dir}: ${detail}`);
  }
}

/** The reason a run's signal carries when its caller aborted it (Ctrl-C, a batch shutting down). */
export class RunCancelledError extends Error {
  override readonly name = 'RunCancelledError';
  constructor(readonly reason: string) {
    super(`run cancelled: ${reason}`);
  }
}

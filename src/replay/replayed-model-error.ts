/** A model error re-raised from a recording: same name and message as the original. */
export class ReplayedModelError extends Error {
  constructor(
    readonly originalName: string,
    message: string,
  ) {
    super(message);
    this.name = originalName;
  }
}

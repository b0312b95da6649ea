export class TrajectoryFormatError extends Error {
  override readonly name = 'TrajectoryFormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

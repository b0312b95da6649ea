import { RefineryError } from '../../errors/refinery-error.ts';

/** A recording file cannot be read or a line of it is not what the loader expects. */
export class RecordingFormatError extends RefineryError {
  readonly code = 'RECORDING_FORMAT';
  readonly exitStatus = 'invalid-input';
  readonly file: string;
  readonly line: number | undefined;
  readonly key: string | undefined;

  constructor(file: string, line: number | undefined, key: string | undefined, problem: string) {
    const where = line === undefined ? file : `${file}:${line}`;
    super(`${where}${key ? ` (${key})` : ''}: ${problem}`);
    this.name = 'RecordingFormatError';
    this.file = file;
    this.line = line;
    this.key = key;
  }
}

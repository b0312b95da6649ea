import { RefineryError } from '../errors/refinery-error.ts';

/** A reply whose search/replace blocks are malformed (unterminated, missing divider, no path). */
export class EditParseError extends RefineryError {
  readonly code = 'EDIT_PARSE';
  readonly exitStatus = 'error';
  override readonly name = 'EditParseError';
  constructor(
    /** 1-based line in the reply where the problem was found. */
    readonly replyLine: number,
    readonly problem: string,
  ) {
    super(`edit block at reply line ${replyLine}: ${problem}`);
  }
}

import { RefineryError } from '../../errors/refinery-error.ts';

/** The program to mutate is not valid Python: names the line and column the parser stopped at. */
export class PutParseError extends RefineryError {
  readonly code = 'PUT_PARSE';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'PutParseError';
  constructor(
    /** Python's message, e.g. "SyntaxError: invalid syntax". */
    readonly detail: string,
    /** 1-based line of the error in the program, when Python gives one. */
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(
      `the program to mutate does not parse${line === undefined ? '' : ` (line ${line}${column === undefined ? '' : `, column ${column}`})`}: ${detail}`,
    );
  }
}

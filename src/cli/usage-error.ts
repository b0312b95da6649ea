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

  /** Runs node:util `parseArgs` and turns its rejections (unknown option, bad value) into a UsageError. */
  static wrapParse<T>(command: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(command, (error as Error).message);
      throw error;
    }
  }
}

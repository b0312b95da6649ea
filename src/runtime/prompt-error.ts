import { RefineryError } from '../errors/refinery-error.ts';

export class PromptError extends RefineryError {
  readonly code = 'PROMPT_INVALID';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'PromptError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
  }
}

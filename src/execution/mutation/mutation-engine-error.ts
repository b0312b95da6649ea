import { RefineryError } from '../../errors/refinery-error.ts';

/** The Python helper that makes mutants (mutate.py) could not run or answered something unreadable. */
export class MutationEngineError extends RefineryError {
  readonly code = 'MUTATION_ENGINE';
  readonly exitStatus = 'error';
  override readonly name = 'MutationEngineError';
  constructor(
    readonly python: string,
    readonly reason: string,
    readonly stderr = '',
  ) {
    super(`mutation engine (${python} mutate.py): ${reason}${stderr ? `\n${stderr.trim().slice(-2000)}` : ''}`);
  }
}

import { RefineryError } from '../errors/refinery-error.ts';

export class ToolchainMissingError extends RefineryError {
  readonly code = 'TOOLCHAIN_MISSING';
  readonly exitStatus = 'error';
  override readonly name = 'ToolchainMissingError';
  constructor(
    readonly language: string,
    readonly tool: string,
    readonly detail: string,
  ) {
    super(`cannot run ${language} programs: '${tool}' is not usable on this machine (${detail})`);
  }
}

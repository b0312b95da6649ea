export class ToolchainMissingError extends Error {
  override readonly name = 'ToolchainMissingError';
  constructor(
    readonly language: string,
    readonly tool: string,
    readonly detail: string,
  ) {
    super(`cannot run ${language} programs: '${tool}' is not usable on this machine (${detail})`);
  }
}

/** The python3 process that compile-checks extracted tests could not run or answered garbage. */
export class TestCompileCheckError extends Error {
  readonly python: string;
  readonly detail: string;

  constructor(python: string, detail: string) {
    super(`compile check of extracted tests with '${python}' failed: ${detail}`);
    this.name = 'TestCompileCheckError';
    this.python = python;
    this.detail = detail;
  }
}

import { RefineryError } from '../../errors/refinery-error.ts';

/** The python3 process that compile-checks extracted tests could not run or answered garbage. */
export class TestCompileCheckError extends RefineryError {
  readonly code = 'TEST_COMPILE_CHECK';
  readonly exitStatus = 'error';
  readonly python: string;
  readonly detail: string;

  constructor(python: string, detail: string) {
    super(`compile check of extracted tests with '${python}' failed: ${detail}`);
    this.name = 'TestCompileCheckError';
    this.python = python;
    this.detail = detail;
  }
}

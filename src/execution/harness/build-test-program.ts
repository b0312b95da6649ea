import { readFileSync } from 'node:fs';

const HARNESS = readFileSync(new URL('./run-tests.py', import.meta.url), 'utf8');

export interface ProgramTest {
  /** `<group>-<n>`, e.g. `visible-1`, `tester-2`, `hidden-3`: the group and 1-based position the report gives back. */
  id: string;
  source: string;
}

export interface TestProgramInput {
  /** Imports, the function signature and its docstring (a HumanEval prompt); defined before the candidate. */
  prompt: string;
  /** The candidate: a whole definition, or an indented body continuing the prompt (see `isBodyContinuation`). */
  code: string;
  /** The function the candidate must define. */
  entryPoint: string;
  /** Run in order, each on its own under its own timer. */
  tests: readonly ProgramTest[];
  testTimeoutSec: number;
}

/**
 * One Python program that loads the prompt and the candidate, then runs each test on its own under a per-test
 * timer and prints a JSON report (see run-tests.py, read by `parseTestRunReport`). The payload is embedded as a
 * JSON string literal, which is also a valid Python string literal. The text is a recorded execution request:
 * the same input must always give the same bytes.
 */
export function buildTestProgram(input: TestProgramInput): string {
  const isBody = isBodyContinuation(input.code);
  const payload = {
    prompt: input.prompt,
    code: isBody ? `${input.prompt.replace(/\n*$/, '\n')}${input.code}` : input.code,
    codeIncludesPrompt: isBody,
    entryPoint: input.entryPoint,
    tests: input.tests.map(({ id, source }) => ({ id, source })),
    testTimeoutSec: input.testTimeoutSec,
  };
  return `_PAYLOAD = __import__("json").loads(${JSON.stringify(JSON.stringify(payload))})\n${HARNESS}`;
}

/**
 * A candidate whose first code line is indented is a body continuation of the prompt (completion style):
 * it is run as `prompt + code`, and its line numbers count from the prompt's first line.
 */
export function isBodyContinuation(code: string): boolean {
  const first = code.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return first !== undefined && /^[ \t]/.test(first);
}

import { readFileSync } from 'node:fs';
import type { RefineTask } from './refine-task-schema.ts';

const HARNESS = readFileSync(new URL('./harness/run-tests.py', import.meta.url), 'utf8');

export interface ProgramTest {
  /** `visible-1`, `tester-2`, `hidden-3`: origin and 1-based position. */
  id: string;
  source: string;
}

/**
 * One Python program that loads the task prompt and the candidate, then runs each test on its own under a
 * per-test timer and prints a JSON report (see harness/run-tests.py). The payload is embedded as a JSON
 * string literal, which is also a valid Python string literal.
 */
export function buildTestProgram(task: RefineTask, code: string, tests: ProgramTest[], testTimeoutSec: number): string {
  const isBody = isBodyContinuation(code);
  const payload = {
    prompt: task.prompt,
    code: isBody ? `${task.prompt.replace(/\n*$/, '\n')}${code}` : code,
    codeIncludesPrompt: isBody,
    entryPoint: task.entryPoint,
    tests,
    testTimeoutSec,
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

import { describe, expect, it } from 'vitest';
import { buildFeedback } from '../../../agents/refine-critic/build-feedback.ts';
import { isAccepted } from '../../../graphs/refine/candidate-acceptance.ts';
import { type RefineTask, refineTaskSchema } from '../../../graphs/refine/refine-task-schema.ts';
import { buildTestProgram, type ProgramTest } from '../../../src/execution/harness/build-test-program.ts';
import { parseTestRunReport, type TestRunReport } from '../../../src/execution/harness/test-run-report.ts';
import { scrubVolatile } from '../../../src/execution/scrub-volatile.ts';
import { executor } from './support/refine-runs.ts';

const task: RefineTask = refineTaskSchema.parse({
  id: 'pairs',
  prompt:
    'from typing import List\n\n\ndef pair_sums(xs: List[int]) -> List[int]:\n    """Sums of neighbouring elements."""\n',
  entryPoint: 'pair_sums',
  visibleTests: ['assert pair_sums([1, 2, 3]) == [3, 5]', 'assert pair_sums([]) == []', 'assert pair_sums([4]) == []'],
});

const visible: ProgramTest[] = task.visibleTests.map((source, i) => ({ id: `visible-${i + 1}`, source }));

async function run(code: string, tests: ProgramTest[] = visible, timeoutSec = 2): Promise<TestRunReport> {
  const result = await executor().run({
    language: 'python',
    source: buildTestProgram({
      prompt: task.prompt,
      code,
      entryPoint: task.entryPoint,
      tests,
      testTimeoutSec: timeoutSec,
    }),
  });
  return parseTestRunReport(result, tests);
}

function feedback(report: TestRunReport): string {
  return buildFeedback({
    entryPoint: task.entryPoint,
    parseError: null,
    report,
    visibleTotal: task.visibleTests.length,
    testerTestsBlock: false,
  });
}

describe('test harness and critic feedback', () => {
  it('names the failing test with expected and actual values, and the error type, message and line', async () => {
    const code = [
      'def pair_sums(xs):',
      '    out = [xs[0] + xs[1]]',
      '    for i in range(1, len(xs) - 1):',
      '        out.append(xs[i] + xs[i + 1])',
      '    return out',
    ].join('\n');
    const report = await run(code);
    expect(report.tests.map((t) => t.status)).toEqual(['passed', 'error', 'error']);
    const text = feedback(report);
    expect(text).toContain('Visible tests: 1 of 3 passed.');
    expect(text).toContain('ERROR: visible test 2: assert pair_sums([]) == []');
    expect(text).toContain('raised IndexError: list index out of range');
    expect(text).toContain('at line 2 of your code (in pair_sums): out = [xs[0] + xs[1]]');
    expect(text).not.toContain('visible test 1');
    expect(isAccepted(report, 3, { testerTestsBlock: false })).toBe(false);
  });

  it('reports expected vs actual for == and both sides for other comparisons', async () => {
    const tests = [...visible, { id: 'tester-1', source: 'assert len(pair_sums([1, 1, 1])) < 2' }];
    const report = await run('def pair_sums(xs):\n    return [a + b for a, b in zip(xs, xs[1:])] + [0]', tests);
    const [first] = report.tests;
    expect(first).toMatchObject({ status: 'failed', expected: '[3, 5]', actual: '[3, 5, 0]' });
    expect(report.tests[3]).toMatchObject({
      status: 'failed',
      comparison: '<',
      left: '3',
      right: '2',
      origin: 'tester',
      index: 1,
    });
    const text = feedback(report);
    expect(text).toContain(
      'FAILED: visible test 1: assert pair_sums([1, 2, 3]) == [3, 5]\n  expected: [3, 5]\n  actual:   [3, 5, 0]',
    );
    expect(text).toContain('Extra tests (advisory');
    expect(text).toContain('the comparison `<` is false:\n  left side:  3\n  right side: 2');
  });

  it('accepts a correct candidate; tester asserts block only when configured, invalid ones never', async () => {
    const tests = [
      ...visible,
      { id: 'tester-1', source: 'assert pair_sums([1, 1]) == [3]' },
      { id: 'tester-2', source: 'assert pair_sums([1, 1] == [2]' },
    ];
    const report = await run('def pair_sums(xs):\n    return [a + b for a, b in zip(xs, xs[1:])]', tests);
    expect(report.tests.map((t) => t.status)).toEqual(['passed', 'passed', 'passed', 'failed', 'invalid']);
    expect(isAccepted(report, 3, { testerTestsBlock: false })).toBe(true);
    expect(isAccepted(report, 3, { testerTestsBlock: true })).toBe(false);
  });

  it('reports syntax errors and a missing entry point as load errors, with the line', async () => {
    const syntax = await run('def pair_sums(xs):\n    return [x for x in xs\n');
    expect(syntax.loaded).toBe(false);
    expect(syntax.loadError).toMatchObject({ type: 'SyntaxError', line: 2 });
    expect(feedback(syntax)).toMatch(
      /^Your code could not be loaded, so no test ran: SyntaxError: .+ at line 2: return \[x for x in xs\.$/,
    );
    const missing = await run('def pairsums(xs):\n    return []');
    expect(feedback(missing)).toBe('Your code does not define a function named `pair_sums`; no test could run.');
  });

  it('stops a looping test at its own timer and goes on with the next test', async () => {
    const report = await run('def pair_sums(xs):\n    while len(xs) == 3:\n        pass\n    return []', visible, 0.3);
    expect(report.tests.map((t) => t.status)).toEqual(['timeout', 'passed', 'passed']);
    expect(feedback(report)).toContain(
      'TIMED OUT: visible test 1: assert pair_sums([1, 2, 3]) == [3, 5]\n  did not finish within 0.3 s',
    );
  });

  it('keeps volatile values out of the report: sets are sorted, addresses and prints are contained', async () => {
    const code = [
      'def pair_sums(xs):',
      "    print('debug', len(xs))",
      "    if len(xs) == 3: return {'delta', 'alpha', 'echo', 'bravo', 'foxtrot', 'charlie'}",
      '    if len(xs) == 1: return object()',
      '    return []',
    ].join('\n');
    const report = await run(code);
    expect(report.tests[0]).toMatchObject({
      actual: "{'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'}",
      stdout: 'debug 3\n',
    });
    expect(report.tests[2]).toMatchObject({ actual: '<object object>' });
    expect(feedback(report)).toContain('printed: "debug 1\\n"');
  });

  it('runs an indented body as a continuation of the prompt', async () => {
    const report = await run('    return [a + b for a, b in zip(xs, xs[1:])]\n');
    expect(report.tests.every((t) => t.status === 'passed')).toBe(true);
  });

  it('turns a program that dies without a report into a program failure', async () => {
    const report = await run('import os\n\ndef pair_sums(xs):\n    os._exit(3)');
    expect(report.programFailure).toBe('the test program ended without a test report (exit code 3)');
    expect(feedback(report)).toBe(
      'The tests could not run to the end: the test program ended without a test report (exit code 3).',
    );
  });

  it('names a parse failure instead of test results', () => {
    const text = buildFeedback({
      entryPoint: 'f',
      parseError: 'the reply was empty',
      report: null,
      visibleTotal: 1,
      testerTestsBlock: false,
    });
    expect(text).toBe(
      'Your reply could not be used: the reply was empty, so nothing was run. Reply with the complete code of `f` in one ```python block.',
    );
  });

  it('scrubs absolute paths and addresses from stderr text', () => {
    expect(scrubVolatile('File "/tmp/refinery-x1/main.py", line 3 <Foo object at 0x7f00aa>')).toBe(
      'File "<path>/main.py", line 3 <Foo object>',
    );
  });
});

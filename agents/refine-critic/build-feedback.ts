import type { TestErrorInfo, TestOutcome, TestRunReport } from '../../src/execution/harness/test-run-report.ts';

const MAX_DETAILED_FAILURES = 5;
const MAX_DETAILED_EXTRA_FAILURES = 3;

export interface FeedbackInput {
  entryPoint: string;
  /** Why the coder reply could not be parsed; when set, nothing ran. */
  parseError: string | null;
  report: TestRunReport | null;
  visibleTotal: number;
  testerTestsBlock: boolean;
}

/**
 * The critic's deterministic feedback: for each failing test, which test, expected vs actual (or the error
 * type, message and the line of the candidate it came from). Built only from the harness report, which holds
 * no paths, times or addresses, so the same run always gives the same text (and the same next prompt).
 */
export function buildFeedback(input: FeedbackInput): string {
  if (input.parseError !== null)
    return `Your reply could not be used: ${input.parseError}, so nothing was run. Reply with the complete code of \`${input.entryPoint}\` in one \`\`\`python block.`;
  const report = input.report;
  if (!report) return 'Nothing was run.';
  if (report.programFailure) return `The tests could not run to the end: ${report.programFailure}.`;
  if (!report.loaded && report.loadError) return describeLoadError(report.loadError, input.entryPoint);

  const parts: string[] = [];
  const visible = report.tests.filter((t) => t.origin === 'visible');
  const visiblePassed = visible.filter((t) => t.status === 'passed').length;
  parts.push(`Visible tests: ${visiblePassed} of ${input.visibleTotal} passed.`);
  const failingVisible = visible.filter((t) => t.status !== 'passed');
  parts.push(...describeFailures(failingVisible, 'visible', MAX_DETAILED_FAILURES));

  const tester = report.tests.filter((t) => t.origin === 'tester' && t.status !== 'invalid');
  const failingTester = tester.filter((t) => t.status !== 'passed');
  if (failingTester.length > 0) {
    const note = input.testerTestsBlock
      ? 'they must pass too'
      : 'advisory: written by the tester agent, they may themselves be wrong; the visible tests decide';
    parts.push(`Extra tests (${note}): ${tester.length - failingTester.length} of ${tester.length} passed.`);
    parts.push(...describeFailures(failingTester, 'extra', MAX_DETAILED_EXTRA_FAILURES));
  }
  return parts.join('\n\n');
}

function describeFailures(failures: TestOutcome[], label: string, max: number): string[] {
  const shown = failures.slice(0, max).map((t) => describeOutcome(t, label));
  if (failures.length > max) shown.push(`... and ${failures.length - max} more failing ${label} tests.`);
  return shown;
}

export function describeOutcome(test: TestOutcome, label: string): string {
  const head = `${test.status === 'failed' ? 'FAILED' : test.status === 'timeout' ? 'TIMED OUT' : 'ERROR'}: ${label} test ${test.index}: ${test.source}`;
  const lines = [head];
  if (test.status === 'timeout')
    lines.push(`  did not finish within ${test.timeoutSec ?? '?'} s (an infinite loop, or far too slow)`);
  else if (test.error) lines.push(...describeError(test.error));
  else if (test.expected !== undefined) lines.push(`  expected: ${test.expected}`, `  actual:   ${test.actual ?? '?'}`);
  else if (test.comparison !== undefined)
    lines.push(
      `  the comparison \`${test.comparison}\` is false:`,
      `  left side:  ${test.left ?? '?'}`,
      `  right side: ${test.right ?? '?'}`,
    );
  else if (test.value !== undefined) lines.push(`  the asserted expression is ${test.value}`);
  if (test.stdout) lines.push(`  printed: ${JSON.stringify(test.stdout)}`);
  return lines.join('\n');
}

function describeError(error: TestErrorInfo): string[] {
  const lines = [`  raised ${error.type}${error.message ? `: ${error.message}` : ''}`];
  if (error.line !== undefined)
    lines.push(
      `  at line ${error.line} of your code${error.function && error.function !== '<module>' ? ` (in ${error.function})` : ''}${error.code ? `: ${error.code}` : ''}`,
    );
  return lines;
}

function describeLoadError(error: TestErrorInfo, entryPoint: string): string {
  if (error.type === 'MissingEntryPoint')
    return `Your code does not define a function named \`${entryPoint}\`; no test could run.`;
  const where = error.line !== undefined ? ` at line ${error.line}${error.code ? `: ${error.code}` : ''}` : '';
  return `Your code could not be loaded, so no test ran: ${error.type}${error.message ? `: ${error.message}` : ''}${where}.`;
}

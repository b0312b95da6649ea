import type { TestRunReport } from '../../src/execution/harness/test-run-report.ts';
import type { RefineOptions } from './refine-options-schema.ts';

/**
 * Refine's acceptance: the candidate loaded and every visible test passed; tester tests block only with
 * `options.testerTestsBlock` (invalid tester tests never block).
 */
export function isAccepted(
  report: TestRunReport,
  visibleTotal: number,
  options: Pick<RefineOptions, 'testerTestsBlock'>,
): boolean {
  if (!report.loaded || report.programFailure) return false;
  const visible = report.tests.filter((t) => t.origin === 'visible');
  if (visible.length !== visibleTotal || visible.some((t) => t.status !== 'passed')) return false;
  if (
    options.testerTestsBlock &&
    report.tests.some((t) => t.origin === 'tester' && t.status !== 'passed' && t.status !== 'invalid')
  )
    return false;
  return true;
}

import { z } from 'zod';
import type { ExecutionResult, Verdict } from '../execution-types.ts';
import { scrubVolatile } from '../scrub-volatile.ts';
import type { ProgramTest } from './build-test-program.ts';

const errorInfoSchema = z.object({
  type: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  function: z.string().optional(),
  code: z.string().optional(),
});

const harnessTestSchema = z.object({
  id: z.string(),
  status: z.enum(['passed', 'failed', 'error', 'timeout', 'invalid']),
  expected: z.string().optional(),
  actual: z.string().optional(),
  comparison: z.string().optional(),
  left: z.string().optional(),
  right: z.string().optional(),
  value: z.string().optional(),
  error: errorInfoSchema.optional(),
  timeoutSec: z.number().optional(),
  stdout: z.string().optional(),
});

const harnessReportSchema = z.object({
  loaded: z.boolean(),
  loadError: errorInfoSchema.optional(),
  tests: z.array(harnessTestSchema),
});

export type TestErrorInfo = z.infer<typeof errorInfoSchema>;
/** One test as the harness reported it, with its group and position (from its id `<group>-<n>`) and its source. */
export type TestOutcome = z.infer<typeof harnessTestSchema> & { origin: string; index: number; source: string };

/** What one run of the test program showed; everything in it is deterministic (it ends up in prompts). */
export interface TestRunReport {
  /** The executor's verdict for the whole program (the harness exits 1 when any test did not pass). */
  verdict: Verdict;
  loaded: boolean;
  loadError?: TestErrorInfo;
  tests: TestOutcome[];
  /** Set when the program printed no report: killed at the time limit, out of memory, crashed. */
  programFailure?: string;
}

const REPORT_PREFIX = 'REFINERY_REPORT ';

/** Reads the report line run-tests.py printed; `tests` are the tests the program was built with. */
export function parseTestRunReport(result: ExecutionResult, tests: readonly ProgramTest[]): TestRunReport {
  const line = result.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(REPORT_PREFIX));
  const parsed =
    line === undefined ? undefined : harnessReportSchema.safeParse(safeJson(line.slice(REPORT_PREFIX.length)));
  if (!parsed?.success)
    return { verdict: result.verdict, loaded: false, tests: [], programFailure: describeProgramFailure(result) };
  const byId = new Map(tests.map((t) => [t.id, t]));
  const outcomes = parsed.data.tests.map((outcome): TestOutcome => {
    const [origin, index] = splitTestId(outcome.id);
    return { ...outcome, origin, index, source: byId.get(outcome.id)?.source ?? '' };
  });
  return {
    verdict: result.verdict,
    loaded: parsed.data.loaded,
    ...(parsed.data.loadError ? { loadError: parsed.data.loadError } : {}),
    tests: outcomes,
  };
}

/** The id of a group's n-th test (1-based), e.g. `visible-1`. */
export function programTestId(origin: string, index: number): string {
  return `${origin}-${index}`;
}

function splitTestId(id: string): [string, number] {
  const match = /^(.+)-(\d+)$/.exec(id);
  if (!match) return [id, 0];
  return [match[1]!, Number(match[2])];
}

export interface TestCounts {
  passed: number;
  total: number;
}

/** Counts of one group's tests; invalid (unparseable) tests are not counted. Nothing passed when the code did not load. */
export function countTests(report: TestRunReport, origin: string, expectedTotal: number): TestCounts {
  if (!report.loaded) return { passed: 0, total: expectedTotal };
  const valid = report.tests.filter((t) => t.origin === origin && t.status !== 'invalid');
  return { passed: valid.filter((t) => t.status === 'passed').length, total: valid.length };
}

function describeProgramFailure(result: ExecutionResult): string {
  const stderr = scrubVolatile(lastLines(result.stderr, 6));
  switch (result.verdict) {
    case 'timeout':
      return 'the test program was stopped at the time limit before the tests finished (an infinite loop, or far too slow)';
    case 'memory':
      return 'the test program ran out of memory';
    case 'crashed':
      return `the test program crashed${result.signal ? ` (${result.signal})` : ''}${stderr ? `:\n${stderr}` : ''}`;
    default:
      return `the test program ended without a test report (exit code ${result.exitCode ?? 'none'})${stderr ? `:\n${stderr}` : ''}`;
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

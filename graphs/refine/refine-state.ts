import { Annotation } from '@langchain/langgraph';
import type { Verdict } from '../../src/execution/execution-types.ts';
import type { TestCounts, TestRunReport } from '../../src/execution/harness/test-run-report.ts';

/** One coder attempt, as kept in the state and in the result. */
export interface AttemptRecord {
  attempt: number;
  /** null when the reply held no Python code block. */
  code: string | null;
  verdict: Verdict | 'unparsed';
  visible: TestCounts;
  tester: TestCounts | null;
  passed: boolean;
}

const latest = <T>(initial: () => T) => Annotation<T>({ reducer: (_current, update) => update, default: initial });

export const RefineStateAnnotation = Annotation.Root({
  /** Planner output; '' when there is no planner. */
  plan: latest<string>(() => ''),
  /** Validated tester asserts; null until the tester has run. */
  testerTests: latest<string[] | null>(() => null),
  /** Coder attempt number (= budget iteration) of `code`. */
  attempt: latest<number>(() => 0),
  /** The current candidate; null when the last reply could not be parsed. */
  code: latest<string | null>(() => null),
  /** Why the last coder reply could not be parsed. */
  parseError: latest<string | null>(() => null),
  report: latest<TestRunReport | null>(() => null),
  passed: latest<boolean>(() => false),
  /** Critic feedback on the last attempt, fed to the next coder call. */
  feedback: latest<string | null>(() => null),
  attempts: Annotation<AttemptRecord[]>({ reducer: (current, update) => [...current, ...update], default: () => [] }),
  consecutiveParseFailures: latest<number>(() => 0),
  repeatedCandidates: latest<number>(() => 0),
  /** Set when the loop gives up without a budget running out (status `failed`). */
  stopReason: latest<string | null>(() => null),
  hidden: latest<TestCounts | null>(() => null),
});

export type RefineState = typeof RefineStateAnnotation.State;
export type RefineUpdate = Partial<RefineState>;

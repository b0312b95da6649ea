import { checkTestsCompile, type CheckTestsCompileOptions } from './check-tests-compile.ts';
import { extractTests, keepCompilable, limitTests, type TestMultiset } from './extract-tests.ts';

export interface TestSamplesOfTask {
  taskId: string;
  entryPoint: string;
  /** Raw test samples (continuations of a prompt ending in `assert `). */
  samples: readonly string[];
}

export interface PreparedTests {
  /** Valid asserts of each sample, in order, before the limit. */
  perSample: string[][];
  /** The limited multiset (first `limitPerSample` of each sample, flattened, with counts). */
  limited: TestMultiset;
}

/**
 * Extract → compile check → limit for many tasks with a single python3 process (techniques §1.3).
 * Returns task id → prepared tests.
 */
export async function prepareTests(
  tasks: readonly TestSamplesOfTask[],
  limitPerSample: number,
  options: CheckTestsCompileOptions = {},
): Promise<Map<string, PreparedTests>> {
  const candidates = tasks.map((task) => task.samples.map((sample) => extractTests(sample, task.entryPoint)));
  const compilable = await checkTestsCompile(candidates.flat(2), options);
  const prepared = new Map<string, PreparedTests>();
  tasks.forEach((task, i) => {
    const perSample = keepCompilable(candidates[i] ?? [], (test) => compilable.has(test));
    prepared.set(task.taskId, { perSample, limited: limitTests(perSample, limitPerSample) });
  });
  return prepared;
}

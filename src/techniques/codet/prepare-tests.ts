import { extractTests, keepCompilable, limitTests, type TestMultiset } from './extract-tests.ts';

export interface TestSamplesOfTask {
  taskId: string;
  entryPoint: string;
  /** Raw test samples (continuations of a prompt ending in `assert `). */
  samples: readonly string[];
}

/**
 * Which asserts compile inside an indented try/except block: Python's `compile()`, which runs outside this pure
 * folder (src/execution/compile/python-compile-checker.ts).
 */
export interface CompileChecker {
  compilable(tests: Iterable<string>): Promise<Set<string>>;
}

export interface PreparedTests {
  /** Valid asserts of each sample, in order, before the limit. */
  perSample: string[][];
  /** The limited multiset (first `limitPerSample` of each sample, flattened, with counts). */
  limited: TestMultiset;
}

/**
 * Extract → compile check → limit for many tasks with one request to the compile checker (techniques §1.3).
 * Returns task id → prepared tests.
 */
export async function prepareTests(
  tasks: readonly TestSamplesOfTask[],
  limitPerSample: number,
  checker: CompileChecker,
): Promise<Map<string, PreparedTests>> {
  const candidates = tasks.map((task) => task.samples.map((sample) => extractTests(sample, task.entryPoint)));
  const compilable = await checker.compilable(candidates.flat(2));
  const prepared = new Map<string, PreparedTests>();
  tasks.forEach((task, i) => {
    const perSample = keepCompilable(candidates[i] ?? [], (test) => compilable.has(test));
    prepared.set(task.taskId, { perSample, limited: limitTests(perSample, limitPerSample) });
  });
  return prepared;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHumanEvalProblems } from '../src/datasets/load-humaneval-problems.ts';
import { PythonCompileChecker } from '../src/execution/compile/python-compile-checker.ts';
import { prepareTests } from '../src/techniques/codet/prepare-tests.ts';
import { truncateSolution } from '../src/techniques/codet/truncate-solution.ts';

export const CODE_TASKS = 'HumanEval_for_code_generation.jsonl';
export const TEST_TASKS = 'HumanEval_for_test_case_generation.jsonl';
export const CODE_SAMPLES = 'HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl';
export const TEST_SAMPLES = 'HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_test_case.jsonl';

/** One HumanEval task as the execution engine sees it. */
export interface CodetExecTask {
  taskId: string;
  prompt: string;
  entryPoint: string;
  /** HumanEval's own test code (defines `check`). */
  groundTruthTest: string;
  /** Truncated code samples, repeats included (16,400 in all). */
  completions: string[];
  /** The limited generated tests, repeats included (first 5 asserts per test sample). */
  tests: string[];
}

function samplesByPrompt(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const row = JSON.parse(line) as { prompt?: unknown; samples?: unknown };
      if (typeof row.prompt !== 'string' || !Array.isArray(row.samples))
        throw new Error(`${file}:${i + 1}: expected {prompt, samples}`);
      out.set(row.prompt, row.samples as string[]);
    });
  return out;
}

/** Loads and post-processes CodeT's released HumanEval samples (techniques §1.3). */
export async function loadCodetExecWorkload(dataset: string, python?: string): Promise<CodetExecTask[]> {
  const codeTasks = loadHumanEvalProblems(join(dataset, CODE_TASKS));
  const testTasks = new Map(loadHumanEvalProblems(join(dataset, TEST_TASKS)).map((t) => [t.taskId, t]));
  const codeSamples = samplesByPrompt(join(dataset, CODE_SAMPLES));
  const testSamples = samplesByPrompt(join(dataset, TEST_SAMPLES));
  const withSamples = codeTasks.map((task) => {
    const testTask = testTasks.get(task.taskId);
    const solutions = codeSamples.get(task.prompt);
    if (!testTask || !solutions) throw new Error(`${dataset}: task ${task.taskId} has no test task or no code samples`);
    return { task, tests: testSamples.get(testTask.prompt) ?? [], solutions };
  });
  const checker = new PythonCompileChecker(python ? { python } : {});
  const prepared = await prepareTests(
    withSamples.map(({ task, tests }) => ({ taskId: task.taskId, entryPoint: task.entryPoint, samples: tests })),
    5,
    checker,
  ).finally(() => checker.close());
  return withSamples.map(({ task, solutions }) => {
    const limited = prepared.get(task.taskId)?.limited ?? new Map<string, number>();
    return {
      taskId: task.taskId,
      prompt: task.prompt,
      entryPoint: task.entryPoint,
      groundTruthTest: task.test,
      completions: solutions.map(truncateSolution),
      tests: [...limited].flatMap(([test, count]) => Array.from({ length: count }, () => test)),
    };
  });
}

/** HumanEval's ground-truth program for one completion. */
export function groundTruthProgram(task: CodetExecTask, completion: string): string {
  return `${task.prompt}${completion}\n${task.groundTruthTest}\ncheck(${task.entryPoint})`;
}

import { join } from 'node:path';
import { loadHumanEvalProblems } from '../../src/datasets/load-humaneval-problems.ts';
import { joinSamplesByPrompt } from '../../src/models/recorded/join-samples-by-prompt.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';
import type { CodetTask } from './codet-task.ts';

const FIXTURES = join(PACKAGE_ROOT, 'fixtures/codet/');

/** One task of the tiny CodeT fixture (`add`), with its recorded solution and test samples. */
export const codetExample: PipelineExample = {
  prepare() {
    const problem = loadHumanEvalProblems(`${FIXTURES}tiny-problems.jsonl`)[0]!;
    const solutions = joinSamplesByPrompt(`${FIXTURES}tiny-solutions.jsonl`, `${FIXTURES}tiny-problems.jsonl`).get(
      problem.taskId,
    )!;
    const tests = joinSamplesByPrompt(`${FIXTURES}tiny-tests.jsonl`, `${FIXTURES}tiny-test-problems.jsonl`).get(
      problem.taskId,
    )!;
    const task: CodetTask = {
      taskId: problem.taskId,
      prompt: problem.prompt,
      entryPoint: problem.entryPoint,
      groundTruth: { test: problem.test },
      samples: { solutions: solutions.length, tests: tests.length },
    };
    return { config: 'configs/codet.yaml', task, replies: { coder: [...solutions], tester: [...tests] } };
  },
};

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHumanEvalProblems } from '../../../src/datasets/load-humaneval-problems.ts';
import { sharedCompileChecker } from '../../../src/execution/compile/python-compile-checker.ts';
import { joinSamplesByPrompt } from '../../../src/models/recorded/join-samples-by-prompt.ts';
import { prepareTests } from '../../../src/techniques/codet/prepare-tests.ts';
import { truncateSolution } from '../../../src/techniques/codet/truncate-solution.ts';

// Extraction checkpoints on the released CodeGen-Mono-16B samples (techniques §1.3, §1.8); no execution.
const DATA = fileURLToPath(new URL('../../../../shared/datasets/codet/', import.meta.url));
const files = {
  problems: `${DATA}HumanEval_for_code_generation.jsonl`,
  testProblems: `${DATA}HumanEval_for_test_case_generation.jsonl`,
  solutions: `${DATA}HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl`,
  tests: `${DATA}HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_test_case.jsonl`,
};
const present = Object.values(files).every((file) => existsSync(file));

describe.skipIf(!present)('released CodeT samples (../shared/datasets/codet)', () => {
  it('joins all 164 tasks and gives 12,408 distinct completions', () => {
    const solutions = joinSamplesByPrompt(files.solutions, files.problems);
    expect(solutions.size).toBe(164);
    expect([...solutions.values()].every((samples) => samples.length === 100)).toBe(true);
    const distinct = [...solutions.values()].reduce(
      (sum, samples) => sum + new Set(samples.map(truncateSolution)).size,
      0,
    );
    expect(distinct).toBe(12_408);
  });

  it('extracts 17,399 asserts from 2,091 samples; 9,124 after the limit, 8,331 distinct; 9 tasks without a test', async () => {
    const entryPoints = new Map(loadHumanEvalProblems(files.testProblems).map((p) => [p.taskId, p.entryPoint]));
    const tests = joinSamplesByPrompt(files.tests, files.testProblems);
    const prepared = await prepareTests(
      [...tests].map(([taskId, samples]) => ({ taskId, entryPoint: entryPoints.get(taskId)!, samples })),
      5,
      sharedCompileChecker(),
    );
    let samplesWithAssert = 0;
    let asserts = 0;
    let limited = 0;
    let distinct = 0;
    let withoutTest = 0;
    for (const task of prepared.values()) {
      samplesWithAssert += task.perSample.filter((list) => list.length > 0).length;
      asserts += task.perSample.reduce((sum, list) => sum + list.length, 0);
      limited += [...task.limited.values()].reduce((sum, count) => sum + count, 0);
      distinct += task.limited.size;
      if (task.limited.size === 0) withoutTest++;
    }
    expect({ samplesWithAssert, asserts, limited, distinct, withoutTest }).toEqual({
      samplesWithAssert: 2_091,
      asserts: 17_399,
      limited: 9_124,
      distinct: 8_331,
      withoutTest: 9,
    });
  });
});

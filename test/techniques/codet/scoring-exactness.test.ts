import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rankFromMatrix } from '../../../graphs/codet/rank-candidates.ts';
import { loadHumanEvalProblems } from '../../../src/datasets/load-humaneval-problems.ts';
import { sharedCompileChecker } from '../../../src/execution/compile/python-compile-checker.ts';
import { joinSamplesByPrompt } from '../../../src/models/recorded/join-samples-by-prompt.ts';
import { DEFAULT_RANKING_SETTINGS, type RankingSettings } from '../../../src/techniques/codet/codet-settings.ts';
import { codetPassAtK, randomPassAtK } from '../../../src/techniques/codet/evaluate-ranking.ts';
import { prepareTests } from '../../../src/techniques/codet/prepare-tests.ts';
import { truncateSolutions } from '../../../src/techniques/codet/truncate-solution.ts';

// Scoring only: the execution results of the tiny fixture were recorded once (fixtures/codet/tiny-execution.json);
// here nothing runs but python's compile() for test extraction.
const FIXTURES = fileURLToPath(new URL('../../../fixtures/codet/', import.meta.url));
interface RecordedTask {
  matrix: { completions: string[]; tests: string[]; rows: (boolean[] | null)[]; timeouts: number };
  groundTruth: { completions: string[]; outcomes: string[] };
}
const recorded = JSON.parse(readFileSync(`${FIXTURES}tiny-execution.json`, 'utf8')) as {
  tasks: Record<string, RecordedTask>;
};

async function loadTiny() {
  const problems = loadHumanEvalProblems(`${FIXTURES}tiny-problems.jsonl`);
  const solutions = joinSamplesByPrompt(`${FIXTURES}tiny-solutions.jsonl`, `${FIXTURES}tiny-problems.jsonl`);
  const tests = joinSamplesByPrompt(`${FIXTURES}tiny-tests.jsonl`, `${FIXTURES}tiny-test-problems.jsonl`);
  const prepared = await prepareTests(
    problems.map((p) => ({ taskId: p.taskId, entryPoint: p.entryPoint, samples: tests.get(p.taskId) ?? [] })),
    5,
    sharedCompileChecker(),
  );
  return problems.map((p) => {
    const rec = recorded.tasks[p.taskId]!;
    const passed = rec.matrix.rows.map((row) => (row === null ? null : row.flatMap((ok, i) => (ok ? [i] : []))));
    const outcome = new Map(rec.groundTruth.completions.map((c, i) => [c, rec.groundTruth.outcomes[i]]));
    return {
      taskId: p.taskId,
      completions: truncateSolutions(solutions.get(p.taskId)!),
      tests: prepared.get(p.taskId)!.limited,
      matrix: { completions: rec.matrix.completions, tests: rec.matrix.tests, passed, timeouts: rec.matrix.timeouts },
      correct: (completion: string) => outcome.get(completion) === 'passed',
    };
  });
}

async function figures(settings: Partial<RankingSettings>) {
  const tasks = await loadTiny();
  return tasks.map((task) => {
    const ranked = rankFromMatrix(task.completions, task.tests, task.matrix, {
      ...DEFAULT_RANKING_SETTINGS,
      ...settings,
    });
    return {
      taskId: task.taskId,
      pools: ranked.ranking.pools.map((pool) => [pool.score, pool.size]),
      pick: ranked.best,
      fallback: ranked.ranking.fallback,
      pass: [1, 2, 10].map((k) => codetPassAtK(ranked.ranking, task.correct, k)),
      random: randomPassAtK(task.completions, task.correct, 1),
    };
  });
}

describe('scoring on the recorded tiny matrix', () => {
  it('the recorded matrix covers exactly the distinct completions and limited tests', async () => {
    for (const task of await loadTiny()) {
      expect(new Set(task.matrix.completions)).toEqual(new Set(task.completions));
      expect(task.matrix.tests).toEqual([...task.tests.keys()]);
    }
  });

  it('sqrt, merge, random: the released rules', async () => {
    const [add, even, triple] = await figures({});
    // add: a+b (4 samples over two distinct texts) passes all 4 test ids → sqrt(4)·4; a*b: 1·3; a−b: sqrt(2)·1.
    expect(add!.pools).toEqual([
      [8, 4],
      [3, 1],
      [Math.SQRT2, 2],
    ]);
    expect(add!.pick).toBe('    return a + b\n');
    expect(add!.pass).toEqual([1, 1, 1]);
    // is_even: the right one (1 sample, 2 tests) ties the wrong one (4 samples, 1 wrong test) at 2: one pool of 5.
    expect(even!.pools).toEqual([[2, 5]]);
    expect(even!.pick).toBe('    return n % 2 == 1\n');
    expect(even!.pass[0]).toBeCloseTo(0.2, 12);
    expect(even!.pass[1]).toBeCloseTo(1 - 0.8 ** 2, 12);
    expect(even!.pass[2]).toBeCloseTo(1 - 0.8 ** 10, 12);
    // triple: nothing passes the one (wrong) test → random over 3 samples, 1 correct.
    expect(triple!.fallback).toBe(true);
    expect(triple!.pass[0]).toBeCloseTo(1 / 3, 12);
    expect(triple!.pass[1]).toBeCloseTo(2 / 3, 12);
    expect(triple!.pass[2]).toBe(1);
    expect(add!.random).toBeCloseTo(4 / 7, 12);
  });

  it('product score ranks the 4-sample wrong set first on is_even', async () => {
    const [, even] = await figures({ score: 'product' });
    expect(even!.pools).toEqual([
      [4, 4],
      [2, 1],
    ]);
    expect(even!.pass[0]).toBe(0);
    expect(even!.pass[1]).toBe(1);
  });

  it('ties: first keeps the tied sets apart, first-sampled first', async () => {
    const [, even] = await figures({ ties: 'first' });
    expect(even!.pools).toEqual([
      [2, 4],
      [2, 1],
    ]);
    expect(even!.pass.slice(0, 2)).toEqual([0, 1]);
  });

  it('fallback: none gives nothing on the task without consensus', async () => {
    const [, , triple] = await figures({ fallback: 'none' });
    expect(triple!.pools).toEqual([]);
    expect(triple!.pick).toBeUndefined();
    expect(triple!.pass).toEqual([0, 0, 0]);
  });
});

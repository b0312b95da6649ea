import { describe, expect, it } from 'vitest';
import { PythonCompileChecker } from '../../../src/execution/compile/python-compile-checker.ts';
import { summarizeBench } from '../../../src/techniques/codet/bench-summary.ts';
import { DEFAULT_RANKING_SETTINGS } from '../../../src/techniques/codet/codet-settings.ts';
import { toMultiset } from '../../../src/techniques/codet/consensus-sets.ts';
import { explainRanking } from '../../../src/techniques/codet/explain-ranking.ts';
import { rankByDualAgreement } from '../../../src/techniques/codet/rank-pools.ts';

describe('explainRanking', () => {
  it('names set sizes, the top pool and the tests that agree', () => {
    const ranking = rankByDualAgreement({
      solutions: ['A', 'A', 'B', 'C'],
      tests: toMultiset(['assert f(1) == 1', 'assert f(2) == 2', 'assert f(2) == 2']),
      passed: (c) => ({ A: ['assert f(1) == 1', 'assert f(2) == 2'], B: ['assert f(1) == 1'] })[c] ?? [],
      settings: DEFAULT_RANKING_SETTINGS,
    });
    const explanation = explainRanking(ranking, 4);
    expect(explanation.topPools[0]).toMatchObject({ rank: 1, samples: 2, completions: 1, testCount: 3 });
    expect(explanation.topPools[0]!.score).toBeCloseTo(Math.sqrt(2) * 3, 12);
    expect(explanation.text).toContain('2 consensus sets from 4 solution samples');
    expect(explanation.text).toContain('assert f(2) == 2');
    expect(explanation.text).toContain('Pool 2: score 1, 1 samples, 1 tests.');
  });

  it('says when nothing passed and the fallback applied', () => {
    const ranking = rankByDualAgreement({
      solutions: ['A'],
      tests: toMultiset([]),
      passed: () => [],
      settings: DEFAULT_RANKING_SETTINGS,
    });
    expect(explainRanking(ranking, 1).text).toContain('No solution passed any generated test');
    expect(explainRanking(ranking, 1).topPools).toEqual([]);
  });
});

describe('summarizeBench', () => {
  it('averages per-task fractions into percent and sums timeouts', () => {
    const summary = summarizeBench(
      [
        {
          passAtK: { 'pass@1': 1 },
          randomPassAtK: { 'pass@1': 0.5 },
          fallback: false,
          hasTests: true,
          timeouts: { tests: 2, groundTruth: 0 },
        },
        {
          passAtK: { 'pass@1': 0 },
          randomPassAtK: { 'pass@1': 0.25 },
          fallback: true,
          hasTests: false,
          timeouts: { tests: 0, groundTruth: 1 },
        },
      ],
      [1, 2],
      [1],
    );
    expect(summary.codet).toEqual({ 'pass@1': 50, 'pass@2': 0 });
    expect(summary.random).toEqual({ 'pass@1': 37.5 });
    expect(summary).toMatchObject({
      tasks: 2,
      fallbackTasks: 1,
      tasksWithoutTests: 1,
      timeouts: { tests: 2, groundTruth: 1 },
    });
  });
});

describe('PythonCompileChecker', () => {
  it('answers concurrent requests in order from one warm process and restarts after closing', async () => {
    const checker = new PythonCompileChecker({ python: 'python3', idleMs: 50 });
    const [a, b] = await Promise.all([
      checker.compilable(['assert f(1) == 1', 'assert f(1) ==']),
      checker.compilable(['assert g(', 'assert g(2) == 2']),
    ]);
    expect([...a]).toEqual(['assert f(1) == 1']);
    expect([...b]).toEqual(['assert g(2) == 2']);
    checker.close();
    expect([...(await checker.compilable(['assert h() is None']))]).toEqual(['assert h() is None']);
    checker.close();
  });

  it('reports a missing interpreter as an error', async () => {
    const checker = new PythonCompileChecker({ python: '/nonexistent/python3' });
    await expect(checker.compilable(['assert x'])).rejects.toThrow('/nonexistent/python3');
  });
});

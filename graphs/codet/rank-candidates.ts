import type { MatrixEngine, MatrixResult, UncompilableTestPolicy } from '../../src/execution/matrix/matrix-engine.ts';
import type { AnyRunContext } from '../../src/runtime/run-context.ts';
import type { RankingSettings } from '../../src/techniques/codet/codet-settings.ts';
import type { StringMultiset } from '../../src/techniques/codet/consensus-sets.ts';
import { explainRanking, type RankingExplanation } from '../../src/techniques/codet/explain-ranking.ts';
import { type DualAgreementRanking, rankByDualAgreement } from '../../src/techniques/codet/rank-pools.ts';

export interface DualExecutionMatrix {
  completions: string[];
  tests: string[];
  /** Per distinct completion: indices into `tests` that it passes; null when its vector was lost. */
  passed: (number[] | null)[];
  timeouts: number;
}

export interface RankCandidatesResult {
  ranking: DualAgreementRanking;
  matrix: DualExecutionMatrix;
  explanation: RankingExplanation;
  /** The pick (the most frequent candidate of the top pool), or undefined when nothing can be picked. */
  best: string | undefined;
}

/**
 * Runs the matrix through `ctx.recordedStep` and reduces it to passed-test indices. The recorded request is
 * `{ prompt, completions, tests, perTestTimeoutSec }` (recorded trajectories are keyed by it).
 */
export async function executeDualMatrix(
  ctx: AnyRunContext,
  request: {
    prompt: string;
    completions: string[];
    tests: string[];
    engine: MatrixEngine;
    perTestTimeoutSec: number;
    uncompilableTests: UncompilableTestPolicy;
  },
): Promise<DualExecutionMatrix> {
  const { engine, uncompilableTests, ...rest } = request;
  if (rest.completions.length === 0 || rest.tests.length === 0) {
    return { completions: rest.completions, tests: rest.tests, passed: rest.completions.map(() => []), timeouts: 0 };
  }
  const result: MatrixResult = await ctx.recordedStep('codet-matrix', rest, () =>
    engine.runMatrix(
      {
        prelude: rest.prompt,
        candidates: rest.completions,
        tests: rest.tests,
        perTestTimeoutSec: rest.perTestTimeoutSec,
        uncompilableTests,
      },
      { signal: ctx.signal },
    ),
  );
  return {
    completions: rest.completions,
    tests: rest.tests,
    passed: result.rows.map((row) => (row === null ? null : row.flatMap((ok, index) => (ok ? [index] : [])))),
    timeouts: result.timeouts,
  };
}

/** The pure half: consensus ranking of samples given an execution matrix. */
export function rankFromMatrix(
  candidates: readonly string[],
  tests: StringMultiset,
  matrix: DualExecutionMatrix,
  settings: RankingSettings,
): RankCandidatesResult {
  const rowOf = new Map(matrix.completions.map((completion, index) => [completion, matrix.passed[index] ?? null]));
  const passedTests = (completion: string) => (rowOf.get(completion) ?? []).map((index) => matrix.tests[index]!);
  const ranking = rankByDualAgreement({ solutions: candidates, tests, passed: passedTests, settings });
  return {
    ranking,
    matrix,
    explanation: explainRanking(ranking, candidates.length),
    best: ranking.pick,
  };
}

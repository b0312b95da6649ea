import type { RunContext } from '../../src/runtime/run-context.ts';
import { DEFAULT_RANKING_SETTINGS, type RankingSettings } from '../../src/techniques/codet/codet-settings.ts';
import { toMultiset, type StringMultiset } from '../../src/techniques/codet/consensus-sets.ts';
import { explainRanking, type RankingExplanation } from '../../src/techniques/codet/explain-ranking.ts';
import { rankByDualAgreement, type DualAgreementRanking } from '../../src/techniques/codet/rank-pools.ts';
import type { MatrixEngine, MatrixResult, UncompilableTestPolicy } from '../../src/execution/matrix/matrix-engine.ts';

export interface RankCandidatesInput {
  /** Prepended to every candidate when executing; '' when candidates are whole programs. */
  prompt: string;
  /** Candidates in sampling order; repeats count as separate samples. */
  candidates: readonly string[];
  /** Tests as a multiset (test → count) or a plain list (repeats counted). */
  tests: StringMultiset | readonly string[];
  engine: MatrixEngine;
  settings?: Partial<RankingSettings>;
  perTestTimeoutSec?: number;
  /** Default `lose-vectors`, CodeT's reference (as `options.exec.uncompilableTests` of a codet config). */
  uncompilableTests?: UncompilableTestPolicy;
}

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
  /** Tests a candidate fails (all of them when its vector was lost); what a refine loop feeds back. */
  failedTests(candidate: string): string[];
}

/**
 * CodeT's selection step as a reusable function: executes the distinct candidates against the distinct tests
 * (one recorded `codet-matrix` step, so replays can answer it from the trajectory), forms consensus sets, ranks
 * the pools and explains the choice. Call it from any graph node, e.g. a refine loop that samples several
 * candidates per iteration and feeds the best one's failures back.
 */
export async function rankCandidatesByDualAgreement(
  ctx: RunContext<any, any>,
  input: RankCandidatesInput,
): Promise<RankCandidatesResult> {
  const tests = input.tests instanceof Map ? input.tests : toMultiset(input.tests as readonly string[]);
  const matrix = await executeDualMatrix(ctx, {
    prompt: input.prompt,
    completions: [...new Set(input.candidates)],
    tests: [...tests.keys()],
    engine: input.engine,
    perTestTimeoutSec: input.perTestTimeoutSec ?? 0.1,
    uncompilableTests: input.uncompilableTests ?? 'lose-vectors',
  });
  return rankFromMatrix(input.candidates, tests, matrix, { ...DEFAULT_RANKING_SETTINGS, ...input.settings });
}

/**
 * Runs the matrix through `ctx.recordedStep` and reduces it to passed-test indices. The recorded request is
 * `{ prompt, completions, tests, perTestTimeoutSec }` (recorded trajectories are keyed by it).
 */
export async function executeDualMatrix(
  ctx: RunContext<any, any>,
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
    passed: result.rows.map((row) =>
      row === null ? null : row.flatMap((ok, index) => (ok ? [index] : [])),
    ),
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
    failedTests(candidate) {
      const passed = new Set(passedTests(candidate));
      return matrix.tests.filter((test) => !passed.has(test));
    },
  };
}

/** How a consensus set is scored from its solution count nx and test count ny (both with multiplicity). */
export const SCORE_FUNCTIONS = ['sqrt', 'product', 'solutionsOnly', 'testsOnly'] as const;
export type ScoreFunctionName = (typeof SCORE_FUNCTIONS)[number];

/** `merge`: sets with equal scores form one pool. `first`: every set is its own pool, equal scores in sample order. */
export const TIE_POLICIES = ['merge', 'first'] as const;
export type TiePolicy = (typeof TIE_POLICIES)[number];

/** What a task with no consensus set gets: all samples as one random pool, or nothing. */
export const FALLBACK_POLICIES = ['random', 'none'] as const;
export type FallbackPolicy = (typeof FALLBACK_POLICIES)[number];

export interface RankingSettings {
  score: ScoreFunctionName;
  ties: TiePolicy;
  fallback: FallbackPolicy;
}

export const DEFAULT_RANKING_SETTINGS: RankingSettings = { score: 'sqrt', ties: 'merge', fallback: 'random' };

import type { GeneratedMutant } from './generate-mutants.ts';

/** A released mutant: its operator label (null when the release has none) and the whole mutant program. */
export interface ReleasedMutant {
  operator: string | null;
  source: string;
  /** The release's name for it (e.g. mutant_10_3.py), for reports. */
  name?: string;
}

export interface OperatorMatchCounts {
  /** Released mutants with this label. */
  released: number;
  /** Of those, regenerated (a generated mutant with the same normalised code). */
  matched: number;
  /** Of those, not regenerated. */
  missing: number;
  /** Generated mutants of this operator that match no released mutant. */
  extra: number;
}

export interface MutantSetComparison {
  /** Per operator code; released mutants without a label count under UNLABELLED. */
  byOperator: Record<string, OperatorMatchCounts>;
  released: number;
  generated: number;
  matched: number;
  /** matched / released (1 when nothing was released). */
  matchRate: number;
  missing: ReleasedMutant[];
  extra: GeneratedMutant[];
  /** Matched pairs whose operator labels differ (a labelled released mutant that another operator makes). */
  relabelled: { released: string; generated: string; source: string }[];
}

export const UNLABELLED = 'unlabelled';

/**
 * Without a Python parser at hand: lines without trailing blanks, blank lines dropped. Callers that can run
 * Python pass the AST normaliser (createPythonNormaliser), which also equates `(a, b) = (b, a)` and `a, b = b, a`.
 */
export function normaliseLayout(source: string): string {
  return source
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Which released mutants a generator regenerated, by normalised code equality: both sides go through the same
 * `normalise` (for Refinery's figures: `ast.unparse(ast.parse(source))`, createPythonNormaliser). Each generated
 * mutant matches at most one released mutant (multiset matching), so duplicates count as often as they occur.
 */
export function compareMutantSets(
  released: readonly ReleasedMutant[],
  generated: readonly GeneratedMutant[],
  options: { normalise?: (source: string) => string } = {},
): MutantSetComparison {
  const normalise = options.normalise ?? normaliseLayout;
  const pool = new Map<string, GeneratedMutant[]>();
  for (const mutant of generated) {
    const key = normalise(mutant.source);
    pool.set(key, [...(pool.get(key) ?? []), mutant]);
  }
  const byOperator: Record<string, OperatorMatchCounts> = {};
  const counts = (operator: string) => {
    byOperator[operator] ??= { released: 0, matched: 0, missing: 0, extra: 0 };
    return byOperator[operator];
  };
  const missing: ReleasedMutant[] = [];
  const relabelled: MutantSetComparison['relabelled'] = [];
  let matched = 0;
  for (const mutant of released) {
    const label = mutant.operator ?? UNLABELLED;
    const row = counts(label);
    row.released += 1;
    const candidates = pool.get(normalise(mutant.source)) ?? [];
    // Prefer a generated mutant with the same operator when several share the code.
    const index = Math.max(
      0,
      candidates.findIndex((candidate) => candidate.operator === mutant.operator),
    );
    const match = candidates[index];
    if (match === undefined) {
      row.missing += 1;
      missing.push(mutant);
      continue;
    }
    candidates.splice(index, 1);
    row.matched += 1;
    matched += 1;
    if (mutant.operator !== null && match.operator !== mutant.operator) {
      relabelled.push({ released: mutant.operator, generated: match.operator, source: mutant.source });
    }
  }
  const extra = [...pool.values()].flat();
  for (const mutant of extra) counts(mutant.operator).extra += 1;
  return {
    byOperator,
    released: released.length,
    generated: generated.length,
    matched,
    matchRate: released.length === 0 ? 1 : matched / released.length,
    missing,
    extra,
    relabelled,
  };
}

/** The comparisons of several PUTs added up (per-operator counts, totals, lists concatenated). */
export function sumComparisons(comparisons: readonly MutantSetComparison[]): MutantSetComparison {
  const byOperator: Record<string, OperatorMatchCounts> = {};
  for (const comparison of comparisons) {
    for (const [operator, row] of Object.entries(comparison.byOperator)) {
      byOperator[operator] ??= { released: 0, matched: 0, missing: 0, extra: 0 };
      const sum = byOperator[operator];
      sum.released += row.released;
      sum.matched += row.matched;
      sum.missing += row.missing;
      sum.extra += row.extra;
    }
  }
  const released = comparisons.reduce((n, c) => n + c.released, 0);
  const matched = comparisons.reduce((n, c) => n + c.matched, 0);
  return {
    byOperator,
    released,
    generated: comparisons.reduce((n, c) => n + c.generated, 0),
    matched,
    matchRate: released === 0 ? 1 : matched / released,
    missing: comparisons.flatMap((c) => c.missing),
    extra: comparisons.flatMap((c) => c.extra),
    relabelled: comparisons.flatMap((c) => c.relabelled),
  };
}

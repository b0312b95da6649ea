import type { Verdict } from './verdicts.ts';

/** What one pair's run contributes to the bench figures. */
export interface PairFigures {
  key: string;
  /** 1-based round of the first DET, or null. */
  detRound: number | null;
  candidates: readonly { round: number; sample: number; verdict: Verdict | null; dropped: boolean }[];
}

/** A released run's logged sample, for the agreement check. */
export interface LoggedVerdict {
  pair: string;
  round: number;
  sample: number;
  verdict: string | null;
  parsed: boolean;
}

export interface Mismatch {
  pair: string;
  round: number;
  sample: number;
  logged: string | null;
  ours: string | null;
}

export interface BenchFigures {
  pairs: number;
  pairsWithDet: number;
  /** Cumulative pairs with a DET by round 1..R. */
  byRound: number[];
  verdicts: Record<string, number>;
  /** Samples that gave no input, and how many samples there were. */
  dropped: number;
  samples: number;
}

export function benchFigures(pairs: readonly PairFigures[], rounds: number): BenchFigures {
  const hist = new Array<number>(rounds).fill(0);
  const verdicts: Record<string, number> = {};
  let dropped = 0;
  let samples = 0;
  for (const pair of pairs) {
    if (pair.detRound !== null && pair.detRound <= rounds) hist[pair.detRound - 1]!++;
    for (const c of pair.candidates) {
      samples++;
      if (c.dropped) dropped++;
      if (c.verdict) verdicts[c.verdict] = (verdicts[c.verdict] ?? 0) + 1;
    }
  }
  const byRound: number[] = [];
  hist.reduce((sum, count) => {
    byRound.push(sum + count);
    return sum + count;
  }, 0);
  return {
    pairs: pairs.length,
    pairsWithDet: pairs.filter((p) => p.detRound !== null).length,
    byRound,
    verdicts,
    dropped,
    samples,
  };
}

export interface VerdictAgreement {
  /** Logged samples with a verdict, compared with ours. */
  compared: number;
  agreed: number;
  /** Logged parse outcome (input or null) equal to ours, over every logged sample of the pairs run. */
  parseCompared: number;
  parseAgreed: number;
  mismatches: Mismatch[];
}

/**
 * Per candidate: every logged sample with a verdict must have ours, equal; a sample we ran that Mokav did not
 * (its verdict null) is a mismatch too. Only the pairs that were run are compared.
 */
export function verdictAgreement(pairs: readonly PairFigures[], logged: readonly LoggedVerdict[]): VerdictAgreement {
  const ours = new Map<string, { verdict: Verdict | null; dropped: boolean }>();
  for (const pair of pairs) for (const c of pair.candidates) ours.set(`${pair.key}#${c.round}#${c.sample}`, c);
  const run = new Set(pairs.map((p) => p.key));
  const result: VerdictAgreement = { compared: 0, agreed: 0, parseCompared: 0, parseAgreed: 0, mismatches: [] };
  for (const l of logged) {
    if (!run.has(l.pair)) continue;
    const mine = ours.get(`${l.pair}#${l.round}#${l.sample}`);
    if (mine) {
      result.parseCompared++;
      if (mine.dropped === !l.parsed) result.parseAgreed++;
    }
    const verdict = mine?.verdict ?? null;
    if (l.verdict === null && verdict === null) continue;
    result.compared++;
    if (verdict === l.verdict) result.agreed++;
    else result.mismatches.push({ pair: l.pair, round: l.round, sample: l.sample, logged: l.verdict, ours: verdict });
  }
  return result;
}

/** Pairs whose first DET round differs from the released summary's (`first_DET_round_by_pair`), both ways. */
export function roundMismatches(
  pairs: readonly PairFigures[],
  released: ReadonlyMap<string, number>,
): { pair: string; released: number | null; ours: number | null }[] {
  return pairs
    .filter((p) => (released.get(p.key) ?? null) !== p.detRound)
    .map((p) => ({ pair: p.key, released: released.get(p.key) ?? null, ours: p.detRound }));
}

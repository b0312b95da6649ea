export interface DedupedStrings {
  /** Distinct values in order of first occurrence. */
  distinct: string[];
  counts: number[];
  /** For each input position, its index in `distinct`. */
  index: number[];
}

export function dedupeStrings(values: readonly string[]): DedupedStrings {
  const position = new Map<string, number>();
  const distinct: string[] = [];
  const counts: number[] = [];
  const index = values.map((value) => {
    let at = position.get(value);
    if (at === undefined) {
      at = distinct.length;
      position.set(value, at);
      distinct.push(value);
      counts.push(0);
    }
    counts[at]!++;
    return at;
  });
  return { distinct, counts, index };
}

import { termCounts } from './code-terms.ts';

/** Okapi BM25 over documents given as term counts (k1 = 1.2, b = 0.75). */
export class LexicalIndex {
  private readonly docs: { id: string; counts: Map<string, number>; length: number }[] = [];
  private readonly df = new Map<string, number>();
  private totalLength = 0;

  add(id: string, counts: Map<string, number>): void {
    let length = 0;
    for (const [term, n] of counts) {
      length += n;
      this.df.set(term, (this.df.get(term) ?? 0) + 1);
    }
    this.docs.push({ id, counts, length });
    this.totalLength += length;
  }

  addText(id: string, text: string): void {
    this.add(id, termCounts(text));
  }

  get size(): number {
    return this.docs.length;
  }

  idf(term: string): number {
    const n = this.docs.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Scores of every document with a positive score, best first (ties by insertion order). */
  search(query: Map<string, number>, k1 = 1.2, b = 0.75): { id: string; score: number }[] {
    const avg = this.totalLength / Math.max(1, this.docs.length);
    const terms = [...query]
      .filter(([t]) => this.df.has(t))
      .map(([t, qn]) => ({ t, w: this.idf(t) * Math.min(qn, 3) }));
    const out: { id: string; score: number; i: number }[] = [];
    this.docs.forEach((doc, i) => {
      let score = 0;
      for (const { t, w } of terms) {
        const tf = doc.counts.get(t);
        if (tf === undefined) continue;
        score += (w * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * doc.length) / avg));
      }
      if (score > 0) out.push({ id: doc.id, score, i });
    });
    return out.sort((a, b) => b.score - a.score || a.i - b.i).map(({ id, score }) => ({ id, score }));
  }
}

import { termCounts } from './code-terms.ts';

/** A LexicalIndex as JSON: documents, their lengths, and per term the flat list `[doc, tf, doc, tf, ...]`. */
export interface LexicalIndexJson {
  ids: string[];
  lengths: number[];
  postings: Record<string, number[]>;
}

/** Okapi BM25 (k1 = 1.2, b = 0.75) over an inverted index of documents given as term counts. */
export class LexicalIndex {
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, number[]>();
  private totalLength = 0;

  static fromJSON(json: LexicalIndexJson): LexicalIndex {
    const index = new LexicalIndex();
    index.ids.push(...json.ids);
    index.lengths.push(...json.lengths);
    for (const length of json.lengths) index.totalLength += length;
    for (const [term, list] of Object.entries(json.postings)) index.postings.set(term, list);
    return index;
  }

  toJSON(): LexicalIndexJson {
    return { ids: this.ids, lengths: this.lengths, postings: Object.fromEntries(this.postings) };
  }

  add(id: string, counts: Map<string, number>): void {
    const doc = this.ids.length;
    let length = 0;
    for (const [term, n] of counts) {
      length += n;
      const list = this.postings.get(term);
      if (list) list.push(doc, n);
      else this.postings.set(term, [doc, n]);
    }
    this.ids.push(id);
    this.lengths.push(length);
    this.totalLength += length;
  }

  addText(id: string, text: string): void {
    this.add(id, termCounts(text));
  }

  get size(): number {
    return this.ids.length;
  }

  get documents(): readonly string[] {
    return this.ids;
  }

  idf(term: string): number {
    const n = this.ids.length;
    const df = (this.postings.get(term)?.length ?? 0) / 2;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Scores of every document with a positive score, best first (ties by insertion order). */
  search(query: Map<string, number>, k1 = 1.2, b = 0.75): { id: string; score: number }[] {
    const avg = this.totalLength / Math.max(1, this.ids.length);
    const scores = new Map<number, number>();
    for (const [term, qn] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const w = this.idf(term) * Math.min(qn, 3);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i]!;
        const tf = list[i + 1]!;
        const s = (w * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * this.lengths[doc]!) / avg));
        scores.set(doc, (scores.get(doc) ?? 0) + s);
      }
    }
    return [...scores]
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([doc, score]) => ({ id: this.ids[doc]!, score }));
  }
}

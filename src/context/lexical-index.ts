import { termCounts } from './code-terms.ts';

/** First line of LexicalIndex.serialize()'s text: bump when the layout changes. */
const TEXT_HEADER = 'lexical-text-1';

/** Okapi BM25 (k1 = 1.2, b = 0.75) over an inverted index of documents given as term counts. */
export class LexicalIndex {
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, number[]>();
  private totalLength = 0;
  /** Of an index read back from serialize(): the text, whose postings are decoded term by term when asked. */
  private serialized: { text: string; from: number } | undefined;

  /**
   * An index from serialize()'s text, or undefined when the text is not one. Nothing but the documents is
   * decoded up front: a query reads the postings of its own terms only.
   */
  static fromText(text: string): LexicalIndex | undefined {
    const first = text.indexOf('\n');
    const second = text.indexOf('\n', first + 1);
    if (first < 0 || second < 0 || text.slice(0, first) !== TEXT_HEADER || !text.endsWith('\n')) return undefined;
    const { ids, lengths } = JSON.parse(text.slice(first + 1, second)) as { ids: string[]; lengths: number[] };
    const index = new LexicalIndex();
    index.ids.push(...ids);
    index.lengths.push(...lengths);
    for (const length of lengths) index.totalLength += length;
    index.serialized = { text, from: second };
    return index;
  }

  /**
   * The indexes one after the other, as one index: the documents of the first, then of the next, and so on; the
   * same as adding all their documents to one index in that order.
   */
  static concat(parts: readonly LexicalIndex[]): LexicalIndex {
    const index = new LexicalIndex();
    for (const part of parts) {
      const offset = index.ids.length;
      index.ids.push(...part.ids);
      index.lengths.push(...part.lengths);
      index.totalLength += part.totalLength;
      for (const [term, from] of part.entries()) {
        let to = index.postings.get(term);
        if (!to) {
          to = [];
          index.postings.set(term, to);
        }
        for (let i = 0; i < from.length; i += 2) to.push(from[i]! + offset, from[i + 1]!);
      }
    }
    return index;
  }

  /** The index as text: a header line, the documents as JSON, then one line per term, `term<TAB>doc,tf,doc,tf,...`. */
  serialize(): string {
    const lines = [TEXT_HEADER, JSON.stringify({ ids: this.ids, lengths: this.lengths })];
    for (const [term, list] of this.entries()) lines.push(`${term}\t${list.join(',')}`);
    return `${lines.join('\n')}\n`;
  }

  /** Every term with its postings, in one pass (a read-back index: over its text, line by line). */
  private *entries(): Iterable<[string, readonly number[]]> {
    if (!this.serialized) {
      yield* this.postings;
      return;
    }
    const { text, from } = this.serialized;
    for (let at = from + 1; at < text.length; ) {
      const tab = text.indexOf('\t', at);
      const end = text.indexOf('\n', tab);
      const term = text.slice(at, tab);
      yield [
        term,
        this.postings.get(term) ??
          text
            .slice(tab + 1, end)
            .split(',')
            .map(Number),
      ];
      at = end + 1;
    }
  }

  /** The flat postings `[doc, tf, doc, tf, ...]` of a term; undefined when no document has it. */
  private list(term: string): number[] | undefined {
    const known = this.postings.get(term);
    if (known !== undefined || !this.serialized) return known;
    // Terms are made of [a-z0-9_] (code-terms.ts): no tab or newline can occur inside one.
    if (/[\t\n]/.test(term)) return undefined;
    const { text, from } = this.serialized;
    const at = text.indexOf(`\n${term}\t`, from);
    if (at < 0) return undefined;
    const start = at + term.length + 2;
    const list = text.slice(start, text.indexOf('\n', start)).split(',').map(Number);
    this.postings.set(term, list);
    return list;
  }

  add(id: string, counts: Map<string, number>): void {
    if (this.serialized) throw new Error('LexicalIndex: an index read back from its text takes no more documents');
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
    const df = (this.list(term)?.length ?? 0) / 2;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Scores of every document with a positive score, best first (ties by insertion order). */
  search(query: Map<string, number>, k1 = 1.2, b = 0.75): { id: string; score: number }[] {
    const avg = this.totalLength / Math.max(1, this.ids.length);
    const scores = new Map<number, number>();
    for (const [term, qn] of query) {
      const list = this.list(term);
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

import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termCounts } from '../../src/context/code-terms.ts';
import { fileParts } from '../../src/context/file-views.ts';
import { LexicalIndex } from '../../src/context/lexical-index.ts';
import { selectContext } from '../../src/context/select-context.ts';
import { contextTree } from './context-tree.ts';

let work: string;
let repo: string;
beforeAll(() => {
  ({ work, repo } = contextTree());
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TASK = 'parse_duration counts minutes as hours: "1h30m" must be 5400 seconds.';

describe('the cold path on two threads', () => {
  it('the helper thread indexes and parses to the same selection as the main thread alone', async () => {
    const task = 'parse_duration and Clock elapsed: minutes counted as hours';
    const alone = await selectContext(repo, { task }, { cacheDir: false, helper: false });
    const helped = await selectContext(repo, { task }, { cacheDir: false, helper: true });
    expect(alone.stats.threads).toBe(1);
    expect(helped.stats).toMatchObject({ threads: 2, parsed: alone.stats.parsed });
    expect(helped.stats.parsed).toBeGreaterThan(0);
    expect({ ...helped, stats: undefined }).toEqual({ ...alone, stats: undefined });
  });

  it('a lexical index joined from runs of files is the index of all of them', () => {
    const docs = Object.entries({ 'a.py': 'alpha beta', 'b.py': 'beta gamma gamma', 'c.md': 'delta alpha' });
    const whole = new LexicalIndex();
    for (const [id, text] of docs) whole.addText(id, text);
    const first = new LexicalIndex();
    first.addText(...docs[0]!);
    const rest = new LexicalIndex();
    for (const [id, text] of docs.slice(1)) rest.addText(id, text);
    const joined = LexicalIndex.concat([first, LexicalIndex.fromText(rest.serialize())!]);
    expect(joined.serialize()).toBe(whole.serialize());
    expect(joined.search(termCounts('alpha gamma'))).toEqual(whole.search(termCounts('alpha gamma')));
  });
});

describe('the warm path: what a second run on the same tree reads back', () => {
  it('a lexical index read back from its text searches and weighs terms exactly as the one built', () => {
    const docs = {
      'a.py': 'def parse_duration(text):\n    hours, minutes = text.split("h")\n',
      'b.py': 'class DurationParser:\n    def parse(self): return parse_duration(self.text)\n',
      'c.md': 'Durations: properties of families of hours and minutes.\n',
    };
    const built = new LexicalIndex();
    for (const [id, text] of Object.entries(docs)) built.addText(id, text);
    const back = LexicalIndex.fromText(built.serialize());
    expect(back).toBeDefined();
    const queries = ['parse duration hours', 'families property', 'DurationParser text', 'nothing_matches here'];
    for (const q of queries) expect(back!.search(termCounts(q))).toEqual(built.search(termCounts(q)));
    for (const term of ['parse', 'hour', 'family', 'absent', 'a\tb']) expect(back!.idf(term)).toBe(built.idf(term));
    expect(back!.documents).toEqual(Object.keys(docs));
    expect(back!.serialize()).toBe(built.serialize());
    expect(LexicalIndex.fromText('{"ids":[]}')).toBeUndefined();
    expect(() => back!.addText('d.py', 'x')).toThrow(/takes no more documents/);
  });

  it('the line filter of fileParts skips only lines that hold none of the terms', () => {
    const text = [
      'class FamilyTree:',
      '    """Properties of families."""',
      '    def add_family(self, x):',
      '        return self.PROPERTIES[x]',
      '',
      'def unrelated():',
      '    return 1',
      '',
      'def copy_on_write(value):',
      '    return Copy_On_Write(value)',
    ].join('\n');
    const terms = termCounts('family properties copy_on_write');
    const scoring = {
      weight: (t: string) => (terms.has(t) ? 1 + t.length / 10 : 0),
      codeNames: new Set(['copy_on_write']),
      words: new Set(['family', 'properties']),
      focusLines: [],
    };
    const unfiltered = fileParts('f.py', text, undefined, scoring);
    const filtered = fileParts('f.py', text, undefined, { ...scoring, terms: terms.keys() });
    expect(filtered.units).toEqual(unfiltered.units);
    expect(filtered.units[0]!.score).toBeGreaterThan(0);
  });

  it('the same request on an unchanged tree reads the selection back; a changed file or request computes it again', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'refinery-context-cache-'));
    try {
      const cold = await selectContext(repo, { task: TASK }, { cacheDir });
      expect(cold.stats.reused).toBe(false);
      expect(cold.stats.parsed).toBeGreaterThan(0);
      const warm = await selectContext(repo, { task: TASK }, { cacheDir });
      expect(warm.stats).toMatchObject({ reused: true, parsed: 0 });
      expect({ ...warm, stats: undefined }).toEqual({ ...cold, stats: undefined });
      expect(readdirSync(join(cacheDir, 'selections'))).toHaveLength(1);

      // Another task on the same tree: index and tags come from the cache, nothing is parsed again.
      const other = await selectContext(repo, { task: 'Clock elapsed time is negative' }, { cacheDir });
      expect(other.stats).toMatchObject({ reused: false, parsed: 0 });
      expect(other.stats.cached).toBeGreaterThan(0);
      const otherCold = await selectContext(repo, { task: 'Clock elapsed time is negative' }, { cacheDir: false });
      expect({ ...other, stats: undefined }).toEqual({ ...otherCold, stats: undefined });

      // An edit the index does not know yet (the working tree differs): a new tree state, computed again.
      appendFileSync(join(repo, 'timekit/report.py'), '\ndef parse_duration_total(xs):\n    return 0\n');
      const edited = await selectContext(repo, { task: TASK }, { cacheDir });
      expect(edited.stats.reused).toBe(false);
      expect(readFileSync(join(repo, 'timekit/report.py'), 'utf8')).toContain('parse_duration_total');
      expect(edited.filesText).toContain('parse_duration_total');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

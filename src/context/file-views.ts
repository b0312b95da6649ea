import { fenceText } from '../text/markdown-fences.ts';
import { forEachTerm } from './code-terms.ts';
import { contextLanguageOf } from './context-languages.ts';
import type { DefinitionSpan, FileTags } from './file-tags.ts';

/** A run of lines of a file that can be shown on its own (a function, a method, a class header, a window). */
export interface FileUnit {
  start: number;
  end: number;
  name?: string;
  score: number;
}

/** What of a file the task needs: its units scored against the task, and its outline. */
export interface FileParts {
  path: string;
  text: string;
  lines: string[];
  tags: FileTags | undefined;
  units: FileUnit[];
}

const MAX_UNIT_LINES = 80;
const WINDOW_LINES = 40;

/**
 * Splits a file into units and scores each against the task: query-term hits weighted by `idf`, definitions
 * named like the task's identifiers, and lines the test output points at. Units are definitions that hold no
 * other definition (methods, functions), class headers, and windows over the rest; a file without tags is
 * cut into windows.
 */
export function fileParts(
  path: string,
  text: string,
  tags: FileTags | undefined,
  scoring: {
    weight: (term: string) => number;
    codeNames: ReadonlySet<string>;
    words: ReadonlySet<string>;
    focusLines: readonly number[];
    /** The terms whose weight is positive, when known: lines that cannot hold one are skipped unread. */
    terms?: Iterable<string>;
  },
): FileParts {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const spans: { start: number; end: number; name?: string }[] = [];
  const defs = (tags?.definitions ?? []).filter((d) => d.endLine > d.line || d.kind !== 'constant');
  const covered = new Array<boolean>(lines.length + 2).fill(false);
  for (const d of defs) {
    const children = defs.filter((c) => c !== d && c.line > d.line && c.endLine <= d.endLine);
    if (children.length === 0) spans.push({ start: d.line, end: d.endLine, name: d.name });
    else {
      const firstChild = Math.min(...children.map((c) => c.line));
      if (firstChild - 1 >= d.line) spans.push({ start: d.line, end: firstChild - 1, name: d.name });
    }
  }
  for (const s of spans) for (let l = s.start; l <= s.end; l++) covered[l] = true;
  for (const d of defs) for (let l = d.line; l <= d.endLine; l++) covered[l] = covered[l] || d.depth > 0;
  // Windows over lines no unit covers (module-level code, or the whole file without tags).
  let l = 1;
  while (l <= lines.length) {
    if (covered[l]) {
      l++;
      continue;
    }
    const start = l;
    while (l <= lines.length && !covered[l] && l - start < WINDOW_LINES) l++;
    spans.push({ start, end: l - 1 });
  }
  // The task's terms on each line, found once; units and windows are scored from them. A line is tokenized only
  // when it holds one of the terms' letters (scoring.terms), which most lines do not.
  const lineTerms: (string[] | undefined)[] = [undefined];
  const mayHold = scoring.terms ? termFilter(scoring.terms) : undefined;
  for (const text of lines) {
    if (mayHold && !mayHold.test(text)) {
      lineTerms.push(undefined);
      continue;
    }
    const found: string[] = [];
    forEachTerm(text, (t) => {
      if (scoring.weight(t) > 0) found.push(t);
    });
    lineTerms.push(found.length > 0 ? found : undefined);
  }
  const units: FileUnit[] = [];
  for (const span of spans) {
    for (const part of capSpan(span, lineTerms, scoring.weight)) {
      let score = 0;
      const seen = new Map<string, number>();
      for (let l = part.start; l <= part.end; l++)
        for (const t of lineTerms[l] ?? []) seen.set(t, (seen.get(t) ?? 0) + 1);
      for (const [t, n] of seen) score += scoring.weight(t) * Math.log(1 + n);
      if (span.name) {
        const key = span.name.toLowerCase();
        if (scoring.codeNames.has(key)) score += 20;
        else if (key.length >= 4 && scoring.words.has(key)) score += 6;
      }
      if (scoring.focusLines.some((f) => f >= part.start && f <= part.end)) score += 30;
      units.push({ ...part, ...(span.name ? { name: span.name } : {}), score });
    }
  }
  units.sort((a, b) => b.score - a.score || a.start - b.start);
  return { path, text, lines, tags, units };
}

/**
 * A test a line must pass to yield one of `terms` (code-terms.ts): each term of a line is, lowercased, a substring
 * of it, except a stem ending in "y" made from "ies", whose letters but the last are. Case-insensitive over ASCII,
 * as identifiers are; a line that fails it yields none of the terms. Memoised per term set.
 */
function termFilter(terms: Iterable<string>): RegExp {
  const key = [...terms].sort().join(' ');
  let filter = termFilters.get(key);
  if (filter === undefined) {
    const needles = [...new Set(key.split(' ').map((t) => (t.length > 1 && t.endsWith('y') ? t.slice(0, -1) : t)))];
    filter = needles.length === 0 || key === '' ? /(?!)/ : new RegExp(needles.map(escapeRegExp).join('|'), 'i');
    if (termFilters.size > 64) termFilters.clear();
    termFilters.set(key, filter);
  }
  return filter;
}
const termFilters = new Map<string, RegExp>();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A span longer than MAX_UNIT_LINES is cut to the window of that length with the most task terms. */
function capSpan(
  span: { start: number; end: number },
  lineTerms: readonly (string[] | undefined)[],
  weight: (term: string) => number,
): { start: number; end: number }[] {
  if (span.end - span.start + 1 <= MAX_UNIT_LINES) return [span];
  const lineScore: number[] = [];
  for (let l = span.start; l <= span.end; l++) {
    let s = 0;
    for (const t of lineTerms[l] ?? []) s += weight(t);
    lineScore.push(s);
  }
  let best = 0;
  let bestAt = 0;
  let sum = 0;
  for (let i = 0; i < lineScore.length; i++) {
    sum += lineScore[i]!;
    if (i >= MAX_UNIT_LINES) sum -= lineScore[i - MAX_UNIT_LINES]!;
    if (i >= MAX_UNIT_LINES - 1 && sum > best) {
      best = sum;
      bestAt = i - MAX_UNIT_LINES + 1;
    }
  }
  const start = span.start + bestAt;
  return [{ start, end: Math.min(span.end, start + MAX_UNIT_LINES - 1) }];
}

/**
 * The outline: definitions with their line numbers, indented by nesting, in file order, within `maxChars`. When
 * not all fit, the definitions named in `focus` come first, then classes, then other top-level definitions,
 * then methods; the rest are counted.
 */
export function renderOutline(tags: FileTags | undefined, maxChars: number, focus: ReadonlySet<string>): string {
  const defs = (tags?.definitions ?? []).filter((d) => d.depth <= 1 || focus.has(d.name));
  if (defs.length === 0) return '';
  const width = String(defs[defs.length - 1]!.line).length;
  const line = (d: DefinitionSpan) => `${String(d.line).padStart(width)}: ${'    '.repeat(d.depth)}${d.signature}`;
  const all = defs.map(line);
  if (all.join('\n').length <= maxChars) return all.join('\n');
  const priority = (d: DefinitionSpan) =>
    focus.has(d.name) ? 0 : d.depth === 0 && d.kind === 'class' ? 1 : d.depth === 0 ? 2 : 3;
  const order = defs.map((d, i) => ({ d, i })).sort((a, b) => priority(a.d) - priority(b.d) || a.i - b.i);
  const chosen = new Set<number>();
  let used = 40;
  for (const { i } of order) {
    const length = all[i]!.length + 1;
    if (used + length > maxChars) continue;
    chosen.add(i);
    used += length;
  }
  const out = all.filter((_, i) => chosen.has(i));
  const hidden = defs.length - chosen.size;
  if (hidden > 0) out.push(`${' '.repeat(width)}  ... ${hidden} more definitions not listed`);
  return out.join('\n');
}

export function renderWholeFile(path: string, text: string): string {
  return `${path}\n${fenceText(text)}`;
}

/** A file shown in part: a header, the outline, then the chosen line ranges (merged, in file order), verbatim. */
export function renderPartialFile(
  parts: FileParts,
  ranges: readonly { start: number; end: number }[],
  outline: string,
): string {
  const merged = mergeRanges(ranges);
  const info = contextLanguageOf(parts.path)?.fence ?? '';
  const sections = [
    `${parts.path} (${parts.lines.length} lines, ${parts.text.length} characters; shown in part: ${
      outline ? 'its outline, then ' : ''
    }the lines most relevant to the task)`,
  ];
  if (outline) sections.push(`Outline (line: definition):\n${fenceText(outline)}`);
  for (const r of merged) {
    sections.push(
      `Lines ${r.start}-${r.end} of ${parts.path}:\n${fenceText(parts.lines.slice(r.start - 1, r.end).join('\n'), info)}`,
    );
  }
  return sections.join('\n');
}

export function mergeRanges(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 2) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export interface ClosestMatch {
  /** 1-based, inclusive line range in the file. */
  startLine: number;
  endLine: number;
  /** 0..1, mean per-line similarity of the window to the SEARCH text. */
  similarity: number;
  text: string;
  /** The window equals the SEARCH text once leading/trailing whitespace of each line is ignored. */
  whitespaceOnly: boolean;
}

const MAX_SCORED_LINE = 240;

/**
 * The window of the file (same number of lines as `search`) most similar to `search`; the earliest
 * wins ties. Returns undefined for an empty file or empty search. Used only to tell the model where
 * its SEARCH text went wrong, never to apply an edit.
 */
export function findClosestMatch(
  content: string,
  search: string,
  /** Only windows starting within `radius` lines of `line` (1-based): where the model said it was looking. */
  near?: { line: number; radius: number },
): ClosestMatch | undefined {
  const fileLines = splitLines(content);
  const searchLines = splitLines(search);
  if (fileLines.length === 0 || searchLines.length === 0) return undefined;
  const size = Math.min(searchLines.length, fileLines.length);
  const lastStart = fileLines.length - size;
  const from = near ? Math.min(Math.max(0, near.line - 1 - near.radius), lastStart) : 0;
  const to = near ? Math.min(lastStart, Math.max(0, near.line - 1 + near.radius)) : lastStart;
  let best: { start: number; score: number } | undefined;
  for (let start = from; start <= to; start++) {
    let total = 0;
    for (let k = 0; k < searchLines.length; k++) {
      total += lineSimilarity(searchLines[k] ?? '', fileLines[start + k] ?? '');
    }
    const score = total / searchLines.length;
    if (best === undefined || score > best.score) best = { start, score };
  }
  if (best === undefined) return undefined;
  const window = fileLines.slice(best.start, best.start + size);
  const whitespaceOnly =
    window.length === searchLines.length && window.every((l, k) => l.trim() === (searchLines[k] ?? '').trim());
  return {
    startLine: best.start + 1,
    endLine: best.start + size,
    similarity: Math.round(best.score * 1000) / 1000,
    text: window.join('\n'),
    whitespaceOnly,
  };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** 1 - normalised Levenshtein distance, on lines cut to a fixed length so long lines stay cheap. */
export function lineSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = a.slice(0, MAX_SCORED_LINE);
  const y = b.slice(0, MAX_SCORED_LINE);
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 1;
  return 1 - levenshtein(x, y) / longest;
}

function levenshtein(a: string, b: string): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/**
 * Line anchors for SEARCH/REPLACE blocks on files the model saw only in part. A block may say where its
 * SEARCH text starts, either on the marker (`<<<<<<< SEARCH line 120`, `<<<<<<< SEARCH lines 120-124`,
 * `<<<<<<< SEARCH @120`) or by keeping the line numbers the tools show (`120| text`) on every SEARCH line.
 * The anchor picks one occurrence when the text occurs several times in the whole file, and places the
 * closest-match report near where the model was looking when it occurs nowhere.
 */

const SEARCH_MARKER = /^<{5,9} SEARCH(?:\s+(?:lines?\s*|@\s*)(\d+)(?:\s*-\s*\d+)?)?\s*$/i;

/** Undefined when `line` is not a SEARCH marker; else the anchor it names, if any. */
export function parseSearchMarker(line: string): { anchorLine?: number } | undefined {
  const match = SEARCH_MARKER.exec(line);
  if (!match) return undefined;
  const anchor = match[1] === undefined ? undefined : Number(match[1]);
  return anchor !== undefined && anchor >= 1 ? { anchorLine: anchor } : {};
}

const NUMBERED = /^\s*(\d+)\| ?(.*)$/;

/**
 * Lines copied from a numbered view (`  120| text`): when every line carries such a number, the numbers
 * strictly increase by one, the numbers are removed and the first one is returned. Otherwise the lines are
 * returned as they are (a file whose own lines look like that is left alone unless all of them do, in order).
 */
export function stripLineNumbers(lines: string[]): { lines: string[]; firstLine?: number } {
  if (lines.length === 0) return { lines };
  const parsed = lines.map((l) => NUMBERED.exec(l));
  if (parsed.some((m) => m === null)) return { lines };
  const numbers = parsed.map((m) => Number(m?.[1]));
  if (numbers.some((n, i) => i > 0 && n !== (numbers[i - 1] ?? 0) + 1)) return { lines };
  return { lines: parsed.map((m) => m?.[2] ?? ''), firstLine: numbers[0] };
}

/** Lines of a numbered view without their numbers, when every line has one (numbers need not be consecutive). */
export function stripAnyLineNumbers(lines: string[]): string[] {
  if (lines.length === 0) return lines;
  const parsed = lines.map((l) => NUMBERED.exec(l));
  return parsed.every((m) => m !== null) ? parsed.map((m) => m?.[2] ?? '') : lines;
}

import { findClosestMatch } from './closest-match.ts';
import type { EditFailureReason } from './edit-failure.ts';

export type TextEditResult =
  | { ok: true; content: string /** 1-based line where the replaced text started. */; line: number }
  | { ok: false; reason: EditFailureReason };

/** An anchored block takes the occurrence starting at most this many lines from its anchor. */
export const ANCHOR_TOLERANCE_LINES = 20;
/** An anchored block that matches nowhere is shown the closest window within this many lines of its anchor. */
const ANCHOR_SEARCH_RADIUS = 60;

/**
 * Replaces the single exact occurrence of `search` in `content`. No fuzzy matching: zero occurrences
 * report the closest window, two or more report every occurrence's line. A file that lacks a final
 * newline still matches a SEARCH that ends the file; a CRLF file matches a LF SEARCH (the replacement
 * is written with CRLF too).
 *
 * With `anchorLine` (where the model says SEARCH starts, e.g. in a file it saw only in part), several
 * occurrences are not ambiguous when exactly one is nearest the anchor within ANCHOR_TOLERANCE_LINES; and
 * the closest match of a SEARCH that occurs nowhere is looked for around the anchor first.
 */
export function applyEditToText(content: string, search: string, replace: string, anchorLine?: number): TextEditResult {
  if (search === '') return { ok: false, reason: { kind: 'no-match' } };
  const missingFinalNewline = content !== '' && !content.endsWith('\n');
  const haystack = missingFinalNewline ? `${content}\n` : content;
  const crlf = haystack.includes('\r\n');
  const candidates: Array<[string, string]> = [[search, replace]];
  if (crlf && !search.includes('\r\n')) candidates.push([toCrlf(search), toCrlf(replace)]);
  for (const [needle, replacement] of candidates) {
    const positions = occurrences(haystack, needle);
    if (positions.length === 0) continue;
    let at = positions[0] ?? 0;
    if (positions.length > 1) {
      const lines = positions.map((p) => lineAt(haystack, p));
      const chosen = anchorLine === undefined ? undefined : nearestUnique(lines, anchorLine);
      if (chosen === undefined)
        return {
          ok: false,
          reason: { kind: 'ambiguous', lines, ...(anchorLine !== undefined ? { anchorLine } : {}) },
        };
      at = positions[chosen] ?? 0;
    }
    let next = haystack.slice(0, at) + replacement + haystack.slice(at + needle.length);
    // Keep the file's lack of a final newline.
    if (missingFinalNewline && next.endsWith('\n')) next = next.slice(0, -1);
    return { ok: true, content: next, line: lineAt(haystack, at) };
  }
  const closest =
    (anchorLine !== undefined
      ? findClosestMatch(content, search, { line: anchorLine, radius: ANCHOR_SEARCH_RADIUS })
      : undefined) ?? findClosestMatch(content, search);
  return {
    ok: false,
    reason: { kind: 'no-match', closest, ...(anchorLine !== undefined ? { anchorLine } : {}) },
  };
}

/** The index of the one line nearest `anchor` within the tolerance, or undefined (none, or a tie). */
function nearestUnique(lines: number[], anchor: number): number | undefined {
  const distances = lines.map((l) => Math.abs(l - anchor));
  const best = Math.min(...distances);
  if (best > ANCHOR_TOLERANCE_LINES) return undefined;
  const at = distances.indexOf(best);
  return distances.indexOf(best, at + 1) === -1 ? at : undefined;
}

function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Start offsets of every occurrence, overlapping ones included. */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return found;
    found.push(at);
    from = at + 1;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

import { findClosestMatch } from './closest-match.ts';
import type { EditFailureReason } from './edit-failure.ts';

export type TextEditResult = { ok: true; content: string } | { ok: false; reason: EditFailureReason };

/**
 * Replaces the single exact occurrence of `search` in `content`. No fuzzy matching: zero occurrences
 * report the closest window, two or more report every occurrence's line. A file that lacks a final
 * newline still matches a SEARCH that ends the file; a CRLF file matches a LF SEARCH (the replacement
 * is written with CRLF too).
 */
export function applyEditToText(content: string, search: string, replace: string): TextEditResult {
  if (search === '') return { ok: false, reason: { kind: 'no-match' } };
  const missingFinalNewline = content !== '' && !content.endsWith('\n');
  const haystack = missingFinalNewline ? `${content}\n` : content;
  const crlf = haystack.includes('\r\n');
  const candidates: Array<[string, string]> = [[search, replace]];
  if (crlf && !search.includes('\r\n')) candidates.push([toCrlf(search), toCrlf(replace)]);
  for (const [needle, replacement] of candidates) {
    const positions = occurrences(haystack, needle);
    if (positions.length === 0) continue;
    if (positions.length > 1) {
      return { ok: false, reason: { kind: 'ambiguous', lines: positions.map((p) => lineAt(haystack, p)) } };
    }
    const at = positions[0] ?? 0;
    let next = haystack.slice(0, at) + replacement + haystack.slice(at + needle.length);
    // Keep the file's lack of a final newline.
    if (missingFinalNewline && next.endsWith('\n')) next = next.slice(0, -1);
    return { ok: true, content: next };
  }
  return { ok: false, reason: { kind: 'no-match', closest: findClosestMatch(content, search) } };
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

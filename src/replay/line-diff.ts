import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';

/**
 * Past this many added plus removed lines the diff stops looking for the shortest edit script (Myers' cost
 * grows with the number of edits) and shows where the texts start to differ instead. Deterministic, so a
 * divergence note in a trajectory is the same on every machine.
 */
const MAX_EDIT_LINES = 2000;
/** Lines of each side shown when the texts differ too much for a full diff. */
const FALLBACK_LINES = 20;

/**
 * The hunks of a unified diff (jsdiff) for divergence reports: `-` recorded, `+` now, `@@` hunks with `context`
 * lines around each change. No `---`/`+++` header lines: the report around it names the sides (the CLI prints
 * `--- recorded` and `+++ now` above it). '' when the texts are equal.
 */
export function lineDiff(recorded: string, now: string, context = 3): string {
  if (recorded === now) return '';
  // A final newline on both sides keeps "\ No newline at end of file" markers out of the report.
  const a = withFinalNewline(recorded);
  const b = withFinalNewline(now);
  const patch = structuredPatch('recorded', 'now', a, b, undefined, undefined, {
    context,
    maxEditLength: MAX_EDIT_LINES,
  });
  if (patch) return formatPatch(patch, OMIT_HEADERS).trimEnd();
  return firstDifference(a, b, context);
}

function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The first differing region as one hunk: `context` equal lines, then the first lines of each side. */
function firstDifference(a: string, b: string, context: number): string {
  const left = a.slice(0, -1).split('\n');
  const right = b.slice(0, -1).split('\n');
  let first = 0;
  while (first < left.length && first < right.length && left[first] === right[first]) first++;
  const from = Math.max(0, first - context);
  const removed = left.slice(first, first + FALLBACK_LINES);
  const added = right.slice(first, first + FALLBACK_LINES);
  const shared = left.slice(from, first);
  const hidden = left.length - first - removed.length + (right.length - first - added.length);
  return [
    `@@ -${from + 1},${shared.length + removed.length} +${from + 1},${shared.length + added.length} @@`,
    ...shared.map((l) => ` ${l}`),
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    `(more than ${MAX_EDIT_LINES} lines differ: recorded ${left.length} lines, now ${right.length}; ` +
      `this is where they start to differ${hidden > 0 ? `, ${hidden} further lines not shown` : ''})`,
  ].join('\n');
}

/** How a Rust run's output is held against the C oracle. */
export type OutputComparison = 'lines-stripped' | 'exact-stdout';

/** Python's line boundaries: \r\n, \n, \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029 (built from code points: no control characters in a regex literal). */
const LINE_BREAK = new RegExp(
  `\r\n|[${[0x0a, 0x0d, 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029].map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`,
);

/** Python's `str.splitlines()`: a final line break ends the last line rather than starting an empty one. */
function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** SACTOR's CodeNet convention: stdout + stderr, each line stripped, joined with `\n`. */
export function normalizeLinesStripped(stdout: string, stderr: string): string {
  return splitLines(stdout + stderr)
    .map((line) => line.trim())
    .join('\n');
}

/** Whether an output matches what is expected: CodeNet's line-stripped rule, or Rosetta's byte-for-byte stdout. */
export function outputMatches(
  mode: OutputComparison,
  actual: { stdout: string; stderr: string },
  expected: { stdout: string; stderr?: string } | { normalized: string },
): boolean {
  if (mode === 'exact-stdout') return 'stdout' in expected && actual.stdout === expected.stdout;
  const want =
    'normalized' in expected ? expected.normalized : normalizeLinesStripped(expected.stdout, expected.stderr ?? '');
  return normalizeLinesStripped(actual.stdout, actual.stderr) === want;
}

/** 1-based number of the first line where two texts differ, with both lines; undefined when equal. */
export function firstDifferingLine(
  expected: string,
  actual: string,
): { line: number; expected: string | null; actual: string | null } | undefined {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return { line: i + 1, expected: a[i] ?? null, actual: b[i] ?? null };
  return undefined;
}

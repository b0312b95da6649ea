/** Lines with surrounding whitespace stripped and trailing blank lines dropped. */
function normalizedLines(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface StdoutMismatch {
  /** 1-based line number of the first difference. */
  line: number;
  expectedLine: string | undefined;
  actualLine: string | undefined;
}

/** Compares line by line, each line stripped, trailing blank lines ignored. Undefined when they match. */
export function compareStdout(expected: string, actual: string): StdoutMismatch | undefined {
  const want = normalizedLines(expected);
  const got = normalizedLines(actual);
  const n = Math.max(want.length, got.length);
  for (let i = 0; i < n; i++) {
    if (want[i] !== got[i]) return { line: i + 1, expectedLine: want[i], actualLine: got[i] };
  }
  return undefined;
}

export function describeMismatch(m: StdoutMismatch): string {
  const show = (s: string | undefined) => (s === undefined ? '<end of output>' : JSON.stringify(s));
  return `line ${m.line}: expected ${show(m.expectedLine)}, got ${show(m.actualLine)}`;
}

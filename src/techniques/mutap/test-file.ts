/**
 * MuTAP's test files (techniques §3.2): the PUT, then the test-function header `def test():`, then the asserts
 * the model wrote. Greedy-minimised files (stage 8) have no header: the PUT, then module-level asserts.
 */
export const TEST_HEADER = 'def test():';

/** A test file cut at its header, as MuTAP's scripts do (`content.split("def test():")`). */
export interface SplitTestFile {
  /** Everything before the first header: the PUT. */
  code: string;
  /**
   * The text after the first header up to the next one (`split(...)[1]`), the header's own line end included:
   * usually `\n    assert ...\n    assert ...`.
   */
  body: string;
}

/** Splits at the first `def test():`; null when the file has no header (no test function: no test). */
export function splitTestFile(content: string): SplitTestFile | null {
  const parts = content.split(TEST_HEADER);
  if (parts.length < 2) return null;
  return { code: parts[0]!, body: parts[1]! };
}

/** Whether a test body holds at least one assert statement (a line that starts with `assert` once indented). */
export function hasAssert(body: string): boolean {
  return body.split('\n').some((line) => /^assert\b/.test(line.trim()));
}

/** A greedy file's body: its module-level `assert` lines, indented into a test function. */
export function greedyBody(content: string): string {
  const asserts = content.split('\n').filter((line) => /^assert\b/.test(line));
  return asserts.map((line) => `\n    ${line}`).join('');
}

export type TestFileKind = 'test-function' | 'greedy';

/**
 * The test body MuTAP scores a file with, or null when the file has no usable test (no header, or no assert):
 * such a file scores no mutant and its task counts as "without test".
 */
export function scoringBody(content: string, kind: TestFileKind): string | null {
  if (kind === 'greedy') {
    const body = greedyBody(content);
    return body === '' ? null : body;
  }
  const split = splitTestFile(content);
  return split && hasAssert(split.body) ? split.body : null;
}

/** The program MuTAP runs for one (mutant, test): mutant source + `def test():` + body + a call (stage 5). */
export function scoringProgram(subject: string, body: string): string {
  return `${subject}${TEST_HEADER}\n${body}\ntest()`;
}

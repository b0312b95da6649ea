import { splitAsserts } from './assert-statements.ts';
import { type AssertVerdict, assertVerdict, type RunScripts } from './script-outcome.ts';
import { splitTestFile, TEST_HEADER } from './test-file.ts';

/**
 * Stage 3, the oracle fix ("semantic error correction", techniques §3.2): every assert of the test body runs
 * alone against the PUT; passing asserts stay; every other one is repaired into a regression oracle by evaluating
 * its left-hand side on the PUT. The PUT is assumed correct.
 *
 * Differences from the released script, each a documented quirk (techniques §3.5):
 * - statements are found by `splitAsserts`, so a comment between asserts does not misalign the bookkeeping;
 * - the value is printed with `repr` (the released files evidently were; the committed code uses `print`);
 * - an assert whose left-hand side fails on the PUT, or whose repaired form still fails, is dropped and counted
 *   (the released code keeps it, and the suite then "kills" every mutant).
 */
export interface OracleFixOptions {
  /** `repr` (default, what rebuilds the released files best) or `print` (the committed code). */
  printing?: 'repr' | 'print';
}

export interface OracleFixedAssert {
  /** The statement as the test now has it. */
  source: string;
  /** How the original statement ran alone against the PUT. */
  verdict: AssertVerdict;
  /** The original statement, when it was repaired. */
  original?: string;
}

export interface OracleFixResult {
  /** The fixed file: the PUT, then `def test():` with the kept asserts; null when the file had no test header. */
  content: string | null;
  asserts: OracleFixedAssert[];
  /** Asserts that passed as written. */
  passed: number;
  /** Asserts rewritten to the PUT's value. */
  repaired: number;
  /** Asserts dropped: no left-hand side to evaluate, it raised or timed out on the PUT, or the repair still failed. */
  dropped: number;
}

/** Marks the printed value in stdout, so output the PUT itself prints is not taken for it. */
export const VALUE_MARKER = '\u0001mutap-value\u0001';

/**
 * The left-hand side of an assert for the repair: the text after `assert `, cut at the first `==`, or, when
 * there is none, at the first `is` (a substring, as released: it can cut inside `is_prime`). Null when neither.
 */
export function assertLeftSide(statement: string): string | null {
  const text = statement.replace(/^assert\s/, '');
  const cut = text.includes('==') ? text.indexOf('==') : text.indexOf('is');
  if (cut < 0) return null;
  const lhs = text.slice(0, cut).trim();
  return lhs === '' ? null : lhs;
}

/** The program that prints the left-hand side's value on the PUT. */
export function leftSideProgram(code: string, lhs: string, printing: 'repr' | 'print'): string {
  const value = printing === 'repr' ? `repr(${lhs})` : `str(${lhs})`;
  return `${code}\nprint(${JSON.stringify(VALUE_MARKER)} + ${value})`;
}

/** The printed value from that program's stdout (after the last marker, without the final line end). */
export function printedValue(stdout: string): string | null {
  const at = stdout.lastIndexOf(VALUE_MARKER);
  if (at < 0) return null;
  return stdout.slice(at + VALUE_MARKER.length).replace(/\r?\n$/, '');
}

/** `assert <lhs> == <value>`: the repaired oracle. */
export function repairedAssert(lhs: string, value: string): string {
  return `assert ${lhs} == ${value}`;
}

/** The program that runs one assert alone against the PUT (at module level, as released). */
export function assertProgram(code: string, statement: string): string {
  return `${code}\n${statement}`;
}

/** The file after the fix: the PUT, a blank line, the header, the asserts indented by four spaces. */
export function assembleTestFile(code: string, asserts: readonly string[]): string {
  const body = asserts.map((statement) => `${indent(statement)}\n`).join('');
  return `${code}\n${TEST_HEADER}\n${body}`;
}

const indent = (statement: string) =>
  statement
    .split('\n')
    .map((line, i) => (i === 0 ? `    ${line}` : line))
    .join('\n');

export async function fixOracles(
  content: string,
  run: RunScripts,
  options: OracleFixOptions = {},
): Promise<OracleFixResult> {
  const printing = options.printing ?? 'repr';
  const split = splitTestFile(content);
  if (!split) return { content: null, asserts: [], passed: 0, repaired: 0, dropped: 0 };
  const { code } = split;
  const statements = splitAsserts(split.body).asserts;
  const verdicts = (await run(statements.map((s) => assertProgram(code, s)))).map(assertVerdict);

  // Evaluate the left-hand side of every assert that did not pass.
  const failing = statements.flatMap((_s, i) => (verdicts[i] === 'pass' ? [] : [i]));
  const sides = new Map(failing.map((i) => [i, assertLeftSide(statements[i]!)]));
  const toEvaluate = failing.filter((i) => sides.get(i) !== null);
  const printed = await run(
    toEvaluate.map((i) => leftSideProgram(code, sides.get(i)!, printing)),
    { stdout: true },
  );
  const repairs = new Map<number, string>();
  toEvaluate.forEach((i, k) => {
    const outcome = printed[k]!;
    if (outcome.status !== 'exited' || outcome.exit !== 0 || outcome.stdout === null) return;
    const value = printedValue(outcome.stdout);
    if (value !== null && value !== '') repairs.set(i, repairedAssert(sides.get(i)!, value));
  });

  // A repaired oracle must hold on the PUT (a value whose repr is not Python, e.g. `<object at 0x…>` or `nan`).
  const repairedIndices = [...repairs.keys()];
  const checks = (await run(repairedIndices.map((i) => assertProgram(code, repairs.get(i)!)))).map(assertVerdict);
  repairedIndices.forEach((i, k) => {
    if (checks[k] !== 'pass') repairs.delete(i);
  });

  const asserts: OracleFixedAssert[] = [];
  statements.forEach((statement, i) => {
    const verdict = verdicts[i]!;
    if (verdict === 'pass') asserts.push({ source: statement, verdict });
    else if (repairs.has(i)) asserts.push({ source: repairs.get(i)!, verdict, original: statement });
  });
  const passed = verdicts.filter((v) => v === 'pass').length;
  return {
    content: assembleTestFile(
      code,
      asserts.map((a) => a.source),
    ),
    asserts,
    passed,
    repaired: asserts.length - passed,
    dropped: statements.length - asserts.length,
  };
}

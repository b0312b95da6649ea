import { firstDifferingLine } from './output-match.ts';

/** A compiler diagnostic as the feedback needs it (cargo's JSON, already parsed). */
export interface BuildDiagnostic {
  level: 'error' | 'warning' | 'note' | 'help';
  code?: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  snippet?: string;
}

/** The critic's compile feedback: the first `limit` errors (errors before warnings), each with code, span and snippet. */
export function compileFeedback(diagnostics: readonly BuildDiagnostic[], limit = 3): string {
  const errors = diagnostics.filter((d) => d.level === 'error');
  const shown = (errors.length > 0 ? errors : diagnostics).slice(0, limit);
  if (shown.length === 0) return 'The crate did not build, and the compiler gave no diagnostic.';
  const blocks = shown.map((d) => {
    const where = d.file
      ? ` at ${d.file}${d.line !== undefined ? `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}` : ''}`
      : '';
    const head = `${d.level}${d.code ? `[${d.code}]` : ''}: ${d.message}${where}`;
    return d.snippet ? `${head}\n${d.snippet.trimEnd()}` : head;
  });
  const more = errors.length > shown.length ? `\n(${errors.length - shown.length} more error(s) not shown)` : '';
  return `The crate does not build (cargo build --offline). First error(s):\n\n${blocks.join('\n\n')}${more}`;
}

/** One test where the Rust program and the C program disagree. */
export interface Mismatch {
  /** What the test feeds the program: stdin text, or argv. */
  input: { stdin?: string; args?: string[] };
  expected: string;
  actual: string;
  /** `timeout`, `crashed`, exit code mismatch ...: how the run ended when not normally. */
  ending?: string;
}

const clip = (text: string, max = 1500) =>
  text.length > max ? `${text.slice(0, max)}\n... (${text.length - max} more characters)` : text;

/** The critic's differential feedback: the failing input, the expected and actual output and the first differing line. */
export function mismatchFeedback(mismatches: readonly Mismatch[], total: number): string {
  const first = mismatches[0];
  if (!first) return 'Every test matches the C program.';
  const input =
    first.input.args !== undefined
      ? `argv: ${JSON.stringify(first.input.args)}`
      : `stdin:\n${clip(first.input.stdin ?? '(empty)', 600)}`;
  const diff = firstDifferingLine(first.expected, first.actual);
  const lines = [
    `The Rust program builds but behaves differently from the C program on ${mismatches.length} of ${total} test(s).`,
    '',
    `Input (${input.startsWith('argv') ? 'command-line arguments' : 'standard input'}): ${input}`,
    '',
    `Expected output (from the C program):\n${clip(first.expected) || '(empty)'}`,
    '',
    `Actual output (from the Rust program):\n${clip(first.actual) || '(empty)'}`,
  ];
  if (first.ending) lines.push('', `The Rust run ended abnormally: ${first.ending}.`);
  if (diff)
    lines.push(
      '',
      `First differing line: ${diff.line} (expected ${JSON.stringify(diff.expected)}, got ${JSON.stringify(diff.actual)}).`,
    );
  return lines.join('\n');
}

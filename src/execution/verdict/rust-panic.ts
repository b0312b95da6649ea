import { type RuntimeFinding, trimTraceback } from './runtime-finding.ts';

const PANIC_HEADER = /^thread '([^']*)'(?: \(\d+\))? panicked at ([^\n]*?):?$/;

/**
 * Reads a Rust panic (`thread 'main' panicked at src/main.rs:2:5:` then the message). `assert!`/`assert_eq!`
 * failures are test failures; for `assert_eq!(left, right)` right is reported as expected, left as actual.
 */
export function parseRustPanic(stderr: string): RuntimeFinding | undefined {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  const start = lines.findIndex((l) => PANIC_HEADER.test(l));
  if (start < 0) {
    const alloc = /memory allocation of \d+ bytes failed/.exec(stderr);
    return alloc ? { verdict: 'memory', error: { type: 'AllocationFailure', message: alloc[0] } } : undefined;
  }
  const header = PANIC_HEADER.exec(lines[start] ?? '');
  const rest = lines.slice(start + 1);
  const noteAt = rest.findIndex((l) => l.startsWith('note: '));
  const messageLines = noteAt < 0 ? rest : rest.slice(0, noteAt);
  const message = messageLines.join('\n').trim();
  const error = { type: 'panic', message, traceback: trimTraceback([lines[start], ...messageLines].join('\n')) };
  if (header?.[2]) error.message = `${message} (at ${header[2]})`;
  if (/^assertion\b/.test(message)) {
    const actual = /^\s*left: (.*)$/m.exec(message)?.[1];
    const expected = /^\s*right: (.*)$/m.exec(message)?.[1];
    return {
      verdict: 'failed',
      error,
      ...(expected !== undefined ? { expected } : {}),
      ...(actual !== undefined ? { actual } : {}),
    };
  }
  return { verdict: 'error', error };
}

import { type RuntimeFinding, trimTraceback } from './runtime-finding.ts';

const HEADER = 'Traceback (most recent call last):';
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::\s?([\s\S]*))?$/;

/**
 * Reads the last exception CPython printed on stderr: a `Traceback (most recent call last):` block, or the
 * header-less `File "...", line N` block of a SyntaxError. AssertionError is a test failure, MemoryError a
 * memory verdict, anything else an error.
 */
export function parsePythonError(stderr: string): RuntimeFinding | undefined {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  let start = lines.lastIndexOf(HEADER);
  if (start < 0) start = lines.findIndex((l) => /^ {2}File ".*", line \d+/.test(l));
  if (start < 0) return undefined;
  let i = start + 1;
  while (i < lines.length && (lines[i] === '' || /^\s/.test(lines[i] ?? ''))) i++;
  const head = lines[i];
  if (head === undefined) return undefined;
  const match = EXCEPTION_LINE.exec([head, ...lines.slice(i + 1)].join('\n'));
  if (!match?.[1]) return undefined;
  const type = match[1].split('.').pop() ?? match[1];
  const message = (match[2] ?? '').trim();
  const traceback = trimTraceback(lines.slice(start).join('\n'));
  const error = { type, message, traceback };
  if (type === 'AssertionError') return { verdict: 'failed', error };
  if (type === 'MemoryError') return { verdict: 'memory', error };
  return { verdict: 'error', error };
}

import { mentionsOutOfMemory, type RuntimeFinding, trimTraceback } from './runtime-finding.ts';

const ERROR_HEADER = /^([A-Za-z_$][\w$]*)(?: \[([A-Z0-9_]+)\])?(?::\s?(.*))?$/;

/**
 * Reads an uncaught exception as Node prints it: source line, caret, blank line, `Type [CODE]: message`, the
 * stack, an optional property dump (`actual: 1,` `expected: 2,` for node:assert), then `Node.js vX`.
 */
export function parseNodeError(stderr: string): RuntimeFinding | undefined {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  const caret = lines.findIndex((l) => /^\s*\^+\s*$/.test(l));
  if (caret < 0) {
    if (mentionsOutOfMemory(stderr))
      return {
        verdict: 'memory',
        error: { type: 'OutOfMemory', message: 'JavaScript heap out of memory', traceback: trimTraceback(stderr) },
      };
    return undefined;
  }
  let i = caret + 1;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  const head = lines[i] ?? '';
  const end = lines.findIndex((l, k) => k > i && /^Node\.js v\d/.test(l));
  const body = lines.slice(i, end < 0 ? undefined : end).join('\n');
  const match = ERROR_HEADER.exec(head);
  const type = match?.[1] && /^[A-Z]/.test(match[1]) && match[3] !== undefined ? match[1] : 'UncaughtException';
  const message = match && type !== 'UncaughtException' ? (match[3] ?? '') : head;
  const error = { type, message: message.trim(), traceback: trimTraceback(body) };
  if (type === 'AssertionError') {
    const actual = /^\s+actual: (.*?),?$/m.exec(body)?.[1];
    const expected = /^\s+expected: (.*?),?$/m.exec(body)?.[1];
    return {
      verdict: 'failed',
      error,
      ...(expected !== undefined ? { expected } : {}),
      ...(actual !== undefined ? { actual } : {}),
    };
  }
  if (mentionsOutOfMemory(body)) return { verdict: 'memory', error };
  return { verdict: 'error', error };
}

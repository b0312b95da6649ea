import { parseFencedBlocks } from '../../src/text/markdown-fences.ts';

export interface TesterTests {
  /** Accepted asserts, in reply order. */
  tests: string[];
  /** Lines that looked like tests but were dropped, with the reason (kept for the trajectory). */
  rejected: { test: string; reason: string }[];
}

/**
 * Validates the tester's asserts. A test is one line starting with `assert` that calls the entry point, has
 * balanced brackets and quotes (one complete statement), and is not already a visible test; at most `max`
 * are kept. Lines inside code blocks (closed or cut off at the end) are read when the reply has any, else all lines. Whether a kept assert
 * compiles is checked when it runs (a syntax error makes it `invalid`, never a failure of the candidate).
 */
export function parseTestReply(
  reply: string,
  opts: { entryPoint: string; visibleTests: string[]; max: number },
): TesterTests {
  const text = reply.replace(/\r\n?/g, '\n');
  const blocks = parseFencedBlocks(text).map((block) => block.content);
  const lines = (blocks.length > 0 ? blocks.join('\n') : text).split('\n').map((l) => l.trim());
  const seen = new Set(opts.visibleTests.map(normalize));
  const calls = new RegExp(`\\b${opts.entryPoint}\\s*\\(`);
  const tests: string[] = [];
  const rejected: TesterTests['rejected'] = [];
  for (const line of lines) {
    if (!/^assert\b/.test(line)) continue;
    const test = line.replace(/;\s*$/, '');
    let reason: string | undefined;
    if (!calls.test(test)) reason = `does not call ${opts.entryPoint}`;
    else if (!isComplete(test)) reason = 'not a complete one-line statement';
    else if (seen.has(normalize(test))) reason = 'duplicate';
    else if (tests.length >= opts.max) reason = `over the limit of ${opts.max}`;
    if (reason) rejected.push({ test, reason });
    else {
      tests.push(test);
      seen.add(normalize(test));
    }
  }
  return { tests, rejected };
}

function normalize(test: string): string {
  return test.replace(/\s+/g, '');
}

/** Brackets balance and no string literal is left open (a rough scan, enough to drop cut-off lines). */
function isComplete(line: string): boolean {
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '#') break;
    if (ch === '"' || ch === "'") {
      let j = line.indexOf(ch, i + 1);
      while (j !== -1 && line[j - 1] === '\\') j = line.indexOf(ch, j + 1);
      if (j === -1) return false;
      i = j;
    } else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in closing) {
      if (stack.pop() !== closing[ch]) return false;
    }
  }
  return stack.length === 0 && !line.endsWith('\\');
}

/**
 * The contract every `Executor` (the real engine, a recorder, a replayer, a remote one) must keep, as a vitest
 * suite (exported as `refinery/testing`). Call it from a test file; it declares the describe/it blocks:
 *
 *   describeExecutorConformance('bwrap', () => createExecutor({ sandbox: 'bwrap' }));
 *
 * Per language whose toolchain is installed here (others are reported as skipped): a passing, a wrong-output, a
 * failing-assertion, an erroring and a looping program, and a compile error where there is a compiler. Then, in
 * Python: limits, stdin and files, isolation between runs, deterministic path-free output, and cancellation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionRequest, ExecutionResult, Executor, Language, Verdict } from '../execution/execution-types.ts';
import { LANGUAGES } from '../execution/execution-types.ts';
import { resolveToolchain } from '../execution/toolchain.ts';

export interface ExecutorConformanceOptions {
  /** Languages whose verdicts are checked (default: all); a language without a toolchain here is skipped. */
  languages?: readonly Language[];
}

interface VerdictCase {
  /** What the program does, in the test's name. */
  does: string;
  source: string;
  verdict: Verdict;
  request?: Partial<ExecutionRequest>;
  check?: (result: ExecutionResult) => void;
}

/** Reverses its stdin (`abc` → `cba`), in each language, and the ways a program can go wrong. */
const PROGRAMS: Record<
  Language,
  { reverse: string; wrong: string; assertion: string; error: string; loop: string; uncompilable?: string }
> = {
  python: {
    reverse: 'import sys\nprint(sys.stdin.read().strip()[::-1])\n',
    wrong: 'print("cab")\n',
    assertion: 'assert 1 + 1 == 3, "arithmetic"\n',
    error: 'def f():\n    raise ValueError("boom")\n\nf()\n',
    loop: 'while True:\n    pass\n',
  },
  javascript: {
    reverse:
      "const input = require('node:fs').readFileSync(0, 'utf8');\nconsole.log(input.trim().split('').reverse().join(''));\n",
    wrong: "console.log('cab');\n",
    assertion: "require('node:assert').strictEqual(1 + 1, 3);\n",
    error: "throw new TypeError('boom');\n",
    loop: 'for (;;) {}\n',
  },
  c: {
    reverse:
      '#include <stdio.h>\n#include <string.h>\nint main(void) {\n  char s[64];\n  if (scanf("%63s", s) != 1) return 1;\n' +
      "  for (int i = (int)strlen(s) - 1; i >= 0; i--) putchar(s[i]);\n  putchar('\\n');\n  return 0;\n}\n",
    wrong: '#include <stdio.h>\nint main(void) { puts("cab"); return 0; }\n',
    assertion: '#include <assert.h>\nint main(void) { int x = 2; assert(x == 3); return 0; }\n',
    error: 'int main(void) { return 3; }\n',
    loop: 'int main(void) { volatile unsigned x = 0; for (;;) x++; }\n',
    uncompilable: 'int main(void) {\n  return missing;\n}\n',
  },
  rust: {
    reverse:
      'use std::io::Read;\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n' +
      '    println!("{}", s.trim().chars().rev().collect::<String>());\n}\n',
    wrong: 'fn main() { println!("cab"); }\n',
    assertion: 'fn main() { let x = 2; assert_eq!(x, 3); }\n',
    error: 'fn main() { std::process::exit(3); }\n',
    loop: 'fn main() { let mut x: u64 = 0; loop { x = std::hint::black_box(x.wrapping_add(1)); } }\n',
    uncompilable: 'fn main() {\n    let x: i32 = "no";\n}\n',
  },
};

function verdictCases(language: Language): VerdictCase[] {
  const p = PROGRAMS[language];
  const cases: VerdictCase[] = [
    {
      does: 'prints the expected output',
      source: p.reverse,
      verdict: 'passed',
      request: { stdin: 'abc\n', expectedStdout: 'cba' },
      check: (r) => {
        expect(r.stdout.trim()).toBe('cba');
        expect(r.exitCode).toBe(0);
      },
    },
    {
      does: 'prints another output',
      source: p.wrong,
      verdict: 'failed',
      request: { expectedStdout: 'cba\n' },
      check: (r) => {
        expect(r.expected).toBe('cba\n');
        expect(r.actual?.trim()).toBe('cab');
      },
    },
    {
      does: 'fails an assertion',
      source: p.assertion,
      verdict: 'failed',
      check: (r) => expect(r.error?.type).toMatch(/\S/),
    },
    {
      does: 'raises or exits non-zero',
      source: p.error,
      verdict: 'error',
      check: (r) => expect(r.error?.type).toMatch(/\S/),
    },
    { does: 'loops forever', source: p.loop, verdict: 'timeout', request: { limits: { wallMs: 500 } } },
  ];
  if (p.uncompilable) {
    cases.push({
      does: 'does not compile',
      source: p.uncompilable,
      verdict: 'compile_error',
      check: (r) => {
        expect(r.diagnostics?.some((d) => d.level === 'error' && d.line === 2)).toBe(true);
        expect(r.stdout).toBe('');
      },
    });
  }
  return cases;
}

export function describeExecutorConformance(
  name: string,
  makeExecutor: () => Executor | Promise<Executor>,
  options: ExecutorConformanceOptions = {},
): void {
  // Concurrent: most of the time is spent waiting on compilers, timers and sandboxes, and runs must not mind.
  describe.concurrent(`executor conformance: ${name}`, () => {
    let executor: Executor;
    const installed = new Set<Language>();
    beforeAll(async () => {
      executor = await makeExecutor();
      for (const language of LANGUAGES) {
        try {
          await resolveToolchain(language);
          installed.add(language);
        } catch {
          // reported as skipped by each of its cases
        }
      }
    });

    const run = (request: ExecutionRequest, signal?: AbortSignal) =>
      executor.run(request, signal ? { signal } : undefined);

    for (const language of options.languages ?? LANGUAGES) {
      describe(`verdicts: ${language}`, () => {
        for (const c of verdictCases(language)) {
          it(`${c.verdict}: a program that ${c.does}`, async (ctx) => {
            if (!installed.has(language)) ctx.skip(`no ${language} toolchain here`);
            const result = await run({ language, source: c.source, ...c.request });
            expect(result.verdict, result.stderr).toBe(c.verdict);
            c.check?.(result);
          });
        }
      });
    }

    describe('limits', () => {
      it('stops a program that sleeps past its wall-clock limit', async () => {
        const result = await run({
          language: 'python',
          source: 'import time\ntime.sleep(30)\n',
          limits: { wallMs: 500 },
        });
        expect(result.verdict).toBe('timeout');
      });

      it('caps captured output and does not pass a program that floods it', async () => {
        const source = 'import sys\nfor _ in range(64):\n    sys.stdout.write("x" * 65536)\n';
        const result = await run({ language: 'python', source, limits: { outputBytes: 4096 } });
        expect(result.verdict).toBe('error');
        expect(result.stdoutTruncated).toBe(true);
        expect(result.stdout.length).toBeLessThanOrEqual(4096);
      });

      it('answers memory for a program that allocates past its memory limit', async () => {
        const result = await run({
          language: 'python',
          source: 'block = bytearray(2 * 1024 ** 3)\nprint(len(block))\n',
          limits: { memoryMb: 256 },
        });
        expect(result.verdict).toBe('memory');
        expect(result.stdout).toBe('');
      });
    });

    describe('inputs and isolation', () => {
      it('runs next to the extra files it was given', async () => {
        const result = await run({
          language: 'python',
          source: 'import helper\nprint(helper.VALUE)\n',
          files: { 'helper.py': 'VALUE = 42\n' },
          expectedStdout: '42',
        });
        expect(result.verdict).toBe('passed');
      });

      it('gives every run its own working directory, also when runs overlap', async () => {
        const writes = (value: string) =>
          `import time\nopen("shared.txt", "w").write("${value}")\ntime.sleep(0.2)\nprint(open("shared.txt").read())\n`;
        const [left, right] = await Promise.all([
          run({ language: 'python', source: writes('left') }),
          run({ language: 'python', source: writes('right') }),
        ]);
        expect([left.stdout.trim(), right.stdout.trim()]).toEqual(['left', 'right']);
        const later = await run({ language: 'python', source: 'import os\nprint(os.path.exists("shared.txt"))\n' });
        expect(later.stdout.trim()).toBe('False');
      });

      it('answers the same run with the same output, free of where it ran, and as plain JSON', async () => {
        const request: ExecutionRequest = { language: 'python', source: PROGRAMS.python.error };
        const first = await run(request);
        const second = await run(request);
        expect(first.verdict).toBe('error');
        expect(second.stderr).toBe(first.stderr);
        expect(first.stderr).toContain('ValueError: boom');
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      });
    });

    describe('cancellation', () => {
      it('rejects with the reason of a signal that is already aborted', async () => {
        const signal = AbortSignal.abort(new Error('cancelled before'));
        await expect(run({ language: 'python', source: 'print(1)\n' }, signal)).rejects.toThrow('cancelled before');
      });

      it('stops a run in progress when its signal aborts, and rejects with the reason', async () => {
        // Without the abort the run would answer `timeout` at its 5 s wall limit.
        const controller = new AbortController();
        const pending = run(
          { language: 'python', source: 'import time\ntime.sleep(30)\n', limits: { wallMs: 5000 } },
          controller.signal,
        );
        setTimeout(() => controller.abort(new Error('cancelled during')), 200);
        await expect(pending).rejects.toThrow('cancelled during');
      });
    });
  });
}

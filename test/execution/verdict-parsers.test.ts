import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../../src/execution/execution-limits.ts';
import { forbiddenDependencies } from '../../src/execution/languages/cargo-manifest-check.ts';
import type { ProcessOutcome } from '../../src/execution/process/run-process.ts';
import { parseCAssertion } from '../../src/execution/verdict/c-assertion.ts';
import { classifyRun } from '../../src/execution/verdict/classify-run.ts';
import { compareStdout } from '../../src/execution/verdict/compare-stdout.ts';
import {
  parseCargoOutput,
  parseGccDiagnostics,
  parseRustcDiagnostics,
} from '../../src/execution/verdict/compile-diagnostics.ts';
import { parseNodeError } from '../../src/execution/verdict/node-error.ts';
import { parsePythonError } from '../../src/execution/verdict/python-error.ts';
import { parseRustPanic } from '../../src/execution/verdict/rust-panic.ts';

describe('parsePythonError', () => {
  it('takes the last exception of a chained traceback, with a multi-line message', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "main.py", line 2, in <module>',
      '    int("x")',
      "ValueError: invalid literal for int() with base 10: 'x'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "main.py", line 4, in <module>',
      '    raise RuntimeError("first line\\nsecond line")',
      'RuntimeError: first line',
      'second line',
    ].join('\n');
    const f = parsePythonError(stderr);
    expect(f?.verdict).toBe('error');
    expect(f?.error).toMatchObject({ type: 'RuntimeError', message: 'first line\nsecond line' });
    expect(f?.error.traceback?.startsWith('Traceback')).toBe(true);
    expect(f?.error.traceback).not.toContain('ValueError');
  });

  it('maps AssertionError to failed, MemoryError to memory, dotted types to their last part', () => {
    expect(
      parsePythonError('Traceback (most recent call last):\n  File "t.py", line 1\nAssertionError\n')?.verdict,
    ).toBe('failed');
    expect(parsePythonError('Traceback (most recent call last):\n  File "t.py", line 1\nMemoryError\n')?.verdict).toBe(
      'memory',
    );
    expect(
      parsePythonError(
        'Traceback (most recent call last):\n  File "t.py", line 1\njson.decoder.JSONDecodeError: Expecting value\n',
      )?.error.type,
    ).toBe('JSONDecodeError');
  });

  it('reads header-less SyntaxErrors and ignores stderr without a traceback', () => {
    expect(
      parsePythonError('  File "main.py", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax\n')?.error,
    ).toMatchObject({ type: 'SyntaxError', message: 'invalid syntax' });
    expect(parsePythonError('some warning\n')).toBeUndefined();
  });
});

describe('parseNodeError', () => {
  it('reads type and message of an uncaught error', () => {
    const stderr =
      "main.js:1\nnull.x;\n     ^\n\nTypeError: Cannot read properties of null (reading 'x')\n    at Object.<anonymous> (main.js:1:6)\n\nNode.js v20.20.2\n";
    expect(parseNodeError(stderr)?.error).toMatchObject({
      type: 'TypeError',
      message: "Cannot read properties of null (reading 'x')",
    });
  });

  it('a thrown non-Error is an UncaughtException', () => {
    const f = parseNodeError(
      "main.js:1\nthrow 'boom';\n^\nboom\n(Use `node --trace-uncaught ...` to show where the exception was thrown)\n\nNode.js v20.20.2\n",
    );
    expect(f?.verdict).toBe('error');
    expect(f?.error.type).toBe('UncaughtException');
  });
});

describe('parseRustPanic and parseCAssertion', () => {
  it('a plain panic is error with its message and location', () => {
    const f = parseRustPanic(
      "thread 'main' (7) panicked at src/main.rs:3:5:\nindex out of bounds: the len is 1 but the index is 5\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
    );
    expect(f?.verdict).toBe('error');
    expect(f?.error.message).toBe('index out of bounds: the len is 1 but the index is 5 (at src/main.rs:3:5)');
  });

  it('an allocation failure is memory', () => {
    expect(parseRustPanic('memory allocation of 10737418240 bytes failed\n')?.verdict).toBe('memory');
  });

  it('glibc assert lines give the failed expression', () => {
    const f = parseCAssertion("main: main.c:4: main: Assertion `a == b' failed.\n");
    expect(f?.verdict).toBe('failed');
    expect(f?.error.message).toBe('a == b (at main.c:4 in main)');
  });
});

describe('compareStdout', () => {
  it('strips each line and ignores trailing blank lines only', () => {
    expect(compareStdout('1\n 2 \n', '1\n2\n\n\n')).toBeUndefined();
    expect(compareStdout('1\n2', '1\n\n2')).toEqual({ line: 2, expectedLine: '2', actualLine: '' });
    expect(compareStdout('1\n2', '1')).toEqual({ line: 2, expectedLine: '2', actualLine: undefined });
  });
});

describe('compile diagnostics', () => {
  it('gcc JSON plus plain linker errors', () => {
    const json = JSON.stringify([
      {
        kind: 'error',
        message: 'expected ‘;’',
        locations: [{ caret: { file: 'main.c', line: 3, column: 9 } }],
        children: [{ kind: 'note', message: 'here', locations: [] }],
      },
    ]);
    const diags = parseGccDiagnostics(
      `${json}\n/usr/bin/ld: main.o: in function \`main':\nmain.c:(.text+0x5): undefined reference to \`foo'\ncollect2: error: ld returned 1 exit status\n`,
    );
    expect(diags[0]).toEqual({ level: 'error', message: 'expected ‘;’', file: 'main.c', line: 3, column: 9 });
    expect(diags[1]).toMatchObject({ level: 'note', message: 'here' });
    expect(diags.filter((d) => d.level === 'error').map((d) => d.message)).toContain(
      "main.c:(.text+0x5): undefined reference to `foo'",
    );
    expect(diags.some((d) => d.message.startsWith('collect2'))).toBe(false);
  });

  it('rustc JSON lines, dropping the summary messages', () => {
    const line = (o: object) => JSON.stringify({ $message_type: 'diagnostic', ...o });
    const stderr = [
      line({
        message: 'cannot find value `y`',
        code: { code: 'E0425' },
        level: 'error',
        spans: [{ file_name: 'main.rs', line_start: 2, column_start: 5, is_primary: true }],
        rendered: 'error[E0425]: cannot find value `y`\n',
      }),
      line({
        message: 'aborting due to 1 previous error',
        code: null,
        level: 'error',
        spans: [],
        rendered: 'error: aborting\n',
      }),
    ].join('\n');
    expect(parseRustcDiagnostics(stderr)).toEqual([
      {
        level: 'error',
        message: 'cannot find value `y`',
        code: 'E0425',
        file: 'main.rs',
        line: 2,
        column: 5,
        snippet: 'error[E0425]: cannot find value `y`',
      },
    ]);
  });

  it('cargo: the executable from compiler-artifact, manifest errors from stderr', () => {
    const stdout = `${JSON.stringify({ reason: 'compiler-artifact', target: { kind: ['bin'] }, executable: '/w/target/release/demo' })}\n${JSON.stringify({ reason: 'build-finished', success: true })}\n`;
    expect(parseCargoOutput(stdout, '').executable).toBe('/w/target/release/demo');
    const bad = parseCargoOutput(
      '',
      'error: failed to parse manifest at `/w/Cargo.toml`\n\nCaused by:\n  missing field `name`\n',
    );
    expect(bad.diagnostics).toHaveLength(1);
    expect(bad.diagnostics[0]?.message).toContain('missing field `name`');
  });
});

describe('forbiddenDependencies', () => {
  it('flags entries of every dependency table shape, and nothing else', () => {
    const manifest = [
      '[package]',
      'name = "x"',
      '[dependencies]',
      '# comment = 1',
      'serde = "1"',
      '[dev-dependencies.proptest]',
      'version = "1"',
      "[target.'cfg(unix)'.build-dependencies]",
      'cc = "1"',
      '[features]',
      'default = []',
    ].join('\n');
    expect(forbiddenDependencies(manifest).map((d) => [d.line, d.message.split(' is ')[0]])).toEqual([
      [5, "[dependencies] entry 'serde'"],
      [6, "[dev-dependencies] entry 'proptest'"],
      [9, "[build-dependencies] entry 'cc'"],
    ]);
    expect(forbiddenDependencies('[package]\nname = "x"\n[dependencies]\n')).toEqual([]);
  });
});

describe('classifyRun', () => {
  const outcome = (over: Partial<ProcessOutcome>): ProcessOutcome => ({
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: 10,
    timedOut: false,
    outputLimitExceeded: false,
    sandbox: 'bwrap',
    ...over,
  });
  const none = () => undefined;

  it('our wall kill is timeout whatever the signal; SIGXCPU is timeout', () => {
    expect(
      classifyRun(outcome({ signal: 'SIGKILL', exitCode: null, timedOut: true }), defaultLimits, none, undefined)
        .verdict,
    ).toBe('timeout');
    expect(classifyRun(outcome({ signal: 'SIGXCPU', exitCode: null }), defaultLimits, none, undefined).verdict).toBe(
      'timeout',
    );
  });

  it('a signal with an out-of-memory message is memory, otherwise crashed', () => {
    expect(
      classifyRun(
        outcome({ signal: 'SIGABRT', exitCode: null, stderr: 'memory allocation of 8 bytes failed\n' }),
        defaultLimits,
        none,
        undefined,
      ).verdict,
    ).toBe('memory');
    expect(classifyRun(outcome({ signal: 'SIGABRT', exitCode: null }), defaultLimits, none, undefined).verdict).toBe(
      'crashed',
    );
  });

  it('expected stdout is only checked after a clean exit', () => {
    expect(classifyRun(outcome({ exitCode: 1, stdout: 'x' }), defaultLimits, none, 'x').verdict).toBe('error');
    expect(classifyRun(outcome({ stdout: 'y' }), defaultLimits, none, 'x').verdict).toBe('failed');
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExecCommand } from '../../src/cli/commands/exec-command.ts';

let dir: string;
let out: string[];
let err: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'exec-command-test-'));
  writeFileSync(join(dir, 'echo.py'), 'import sys\nprint(sys.stdin.read().strip().upper())\n');
  writeFileSync(join(dir, 'bad.py'), 'raise ValueError("nope")\n');
  writeFileSync(join(dir, 'input.txt'), 'hello\n');
  mkdirSync(join(dir, 'crate', 'src'), { recursive: true });
  writeFileSync(join(dir, 'crate', 'Cargo.toml'), '[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n');
  writeFileSync(join(dir, 'crate', 'src', 'main.rs'), 'fn main() { println!("from crate"); }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): void {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
}
afterEach(() => vi.restoreAllMocks());

describe('refinery exec', () => {
  it('--json prints one object with verdict, stdout, stderr and duration_ms; exit 0 when passed', async () => {
    capture();
    const code = await runExecCommand([
      '--lang',
      'python',
      join(dir, 'echo.py'),
      '--stdin',
      join(dir, 'input.txt'),
      '--json',
      '--timeout',
      '5',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(result).toMatchObject({ verdict: 'passed', stdout: 'HELLO\n', stderr: '' });
    expect(typeof result.duration_ms).toBe('number');
  });

  it('a failing program exits 1 with a human summary naming the error', async () => {
    capture();
    const code = await runExecCommand(['--lang', 'python', join(dir, 'bad.py'), '--memory', '512']);
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/^error \(\d+ ms, sandbox: (bwrap|rlimit-only)\)\nValueError: nope\n/);
  });

  it('runs a crate directory for --lang rust', async () => {
    capture();
    const code = await runExecCommand(['--lang', 'rust', join(dir, 'crate'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out.join('')).stdout).toBe('from crate\n');
  });

  it.each([
    [['--lang', 'cobol', 'x'], "option '--lang <LANG>' argument 'cobol' is invalid. Allowed choices are python"],
    [['x.py'], "required option '--lang <LANG>' not specified"],
    [['--lang', 'python'], "missing required argument 'FILE'"],
    [['--lang', 'python', '/nonexistent/prog.py'], "'/nonexistent/prog.py' does not exist"],
    [
      ['--lang', 'python', 'PLACEHOLDER', '--stdin', '/nonexistent/in.txt'],
      "--stdin: cannot read '/nonexistent/in.txt'",
    ],
    [['--lang', 'python', 'PLACEHOLDER', '--timeout', 'soon'], "--timeout must be a positive number, got 'soon'"],
    [['--lang', 'python', '--bogus', 'PLACEHOLDER'], "unknown option '--bogus'"],
  ])('bad input %j exits 2 naming the flag or file', async (args, message) => {
    capture();
    const code = await runExecCommand(args.map((a) => (a === 'PLACEHOLDER' ? join(dir, 'echo.py') : a)));
    expect(code).toBe(2);
    expect(err.join('')).toContain(message);
    expect(out).toEqual([]);
  });
});

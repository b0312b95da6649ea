import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { InvalidExecutionRequestError } from '../../src/execution/invalid-execution-request-error.ts';

// 'auto': bubblewrap where it works, else the rlimit-only fallback (the test run's first line says which); the hostile
// suite checks each mode's guarantees.
const executor = createExecutor({ sandbox: 'auto', defaults: { wallMs: 5000 }, onWarning: () => {} });
const CRATE_MANIFEST = '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n';

describe('python', () => {
  it('passes with matching stdout, reading stdin', async () => {
    const r = await executor.run({
      language: 'python',
      source: 'n = int(input())\nprint(n * 2)\nprint()\n',
      stdin: '21\n',
      expectedStdout: '  42  \n',
    });
    expect(r.verdict).toBe('passed');
    expect(r.stdout).toBe('42\n\n');
    expect(r.exitCode).toBe(0);
  });

  it('wrong output is failed with expected and actual', async () => {
    const r = await executor.run({ language: 'python', source: 'print(1)\nprint(3)\n', expectedStdout: '1\n2\n' });
    expect(r.verdict).toBe('failed');
    expect(r.expected).toBe('1\n2\n');
    expect(r.actual).toBe('1\n3\n');
    expect(r.error?.message).toBe('line 2: expected "2", got "3"');
  });

  it('AssertionError is failed; other exceptions are error with a relative traceback', async () => {
    const failed = await executor.run({ language: 'python', source: 'assert 1 + 1 == 3, "math"\n' });
    expect(failed.verdict).toBe('failed');
    expect(failed.error).toMatchObject({ type: 'AssertionError', message: 'math' });

    const error = await executor.run({ language: 'python', source: 'def f():\n    return {}["k"]\nf()\n' });
    expect(error.verdict).toBe('error');
    expect(error.error?.type).toBe('KeyError');
    expect(error.error?.message).toBe("'k'");
    expect(error.error?.traceback).toContain('File "main.py", line 2, in f');
    expect(error.stderr).not.toContain('refinery-exec-');
  });

  it('a non-zero exit without traceback is error; files next to main.py are importable', async () => {
    const r = await executor.run({
      language: 'python',
      source: 'import helper\nraise SystemExit(helper.CODE)\n',
      files: { 'helper.py': 'CODE = 7\n' },
    });
    expect(r.verdict).toBe('error');
    expect(r.exitCode).toBe(7);
    expect(r.error?.type).toBe('NonZeroExit');
  });

  it('a signal is crashed', async () => {
    const r = await executor.run({
      language: 'python',
      source: 'import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n',
    });
    expect(r.verdict).toBe('crashed');
    expect(r.signal).toBe('SIGSEGV');
  });

  it('CPU time beyond the CPU limit is timeout even under a long wall limit', async () => {
    const r = await executor.run({
      language: 'python',
      source: 'while True:\n    pass\n',
      limits: { wallMs: 10_000, cpuMs: 1000 },
    });
    expect(r.verdict).toBe('timeout');
    expect(r.signal).toBe('SIGXCPU');
  });

  it('a file beyond the file-size limit fails to be written', async () => {
    const r = await executor.run({
      language: 'python',
      source: 'open("big.bin", "wb").write(b"x" * (4 << 20))\n',
      limits: { fileSizeMb: 1 },
    });
    expect(r.verdict).toBe('error');
    expect(r.error?.message).toContain('File too large');
  });

  it('an abort kills the run and rejects', async () => {
    const controller = new AbortController();
    const pending = executor.run(
      { language: 'python', source: 'import time\ntime.sleep(30)\n' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('stop')), 300);
    await expect(pending).rejects.toThrow('stop');
  });

  it('rejects file names that leave the working directory', async () => {
    await expect(executor.run({ language: 'python', source: '', files: { '../x.py': '' } })).rejects.toBeInstanceOf(
      InvalidExecutionRequestError,
    );
  });
});

describe('javascript', () => {
  it('node:assert failures are failed with expected and actual', async () => {
    const r = await executor.run({
      language: 'javascript',
      source: "const assert = require('node:assert');\nassert.strictEqual(2 + 2, 5);\n",
    });
    expect(r.verdict).toBe('failed');
    expect(r.error?.type).toBe('AssertionError');
    expect(r.expected).toBe('5');
    expect(r.actual).toBe('4');
  });

  it('uncaught errors are error; ES module sources run', async () => {
    const r = await executor.run({ language: 'javascript', source: 'null.x;\n' });
    expect(r.verdict).toBe('error');
    expect(r.error?.type).toBe('TypeError');
    const esm = await executor.run({
      language: 'javascript',
      source: "import { EOL } from 'node:os';\nprocess.stdout.write('ok' + EOL);\n",
      expectedStdout: 'ok',
    });
    expect(esm.verdict).toBe('passed');
  });
});

describe('c', () => {
  it('compiles and runs', async () => {
    const r = await executor.run({
      language: 'c',
      source: '#include <stdio.h>\nint main(void){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);return 0;}\n',
      stdin: '2 3',
      expectedStdout: '5',
    });
    expect(r.verdict).toBe('passed');
  });

  it('compile errors carry gcc JSON diagnostics with locations', async () => {
    const r = await executor.run({ language: 'c', source: 'int main(void) {\n  return missing;\n}\n' });
    expect(r.verdict).toBe('compile_error');
    const error = r.diagnostics?.find((d) => d.level === 'error');
    expect(error).toMatchObject({ file: 'main.c', line: 2, column: 10 });
    expect(error?.message).toContain('missing');
    expect(r.stderr).toContain('main.c:2:10: error:');
  });

  it('assert() is failed, a null dereference is crashed', async () => {
    const failed = await executor.run({
      language: 'c',
      source: '#include <assert.h>\nint main(void){ int x = 1; assert(x == 2); return 0; }\n',
    });
    expect(failed.verdict).toBe('failed');
    expect(failed.error?.message).toContain('x == 2');
    const crashed = await executor.run({
      language: 'c',
      source: 'int main(void){ volatile int *p = 0; return *p; }\n',
    });
    expect(crashed.verdict).toBe('crashed');
    expect(crashed.signal).toBe('SIGSEGV');
  });
});

describe('rust', () => {
  it('assert_eq! is failed with left as actual and right as expected', async () => {
    const r = await executor.run({
      language: 'rust',
      source: 'fn main() { let v = vec![1, 2]; assert_eq!(v.len(), 3); }\n',
    });
    expect(r.verdict).toBe('failed');
    expect(r.actual).toBe('2');
    expect(r.expected).toBe('3');
  });

  it('compile errors carry rustc JSON diagnostics with the error code', async () => {
    const r = await executor.run({ language: 'rust', source: 'fn main() {\n    let x: i32 = "no";\n}\n' });
    expect(r.verdict).toBe('compile_error');
    expect(r.diagnostics?.find((d) => d.level === 'error')).toMatchObject({ code: 'E0308', file: 'main.rs', line: 2 });
    expect(r.stderr).toContain('error[E0308]');
  });

  it('builds and runs a crate offline', async () => {
    const r = await executor.run({
      language: 'rust',
      cargo: true,
      source: '',
      files: {
        'Cargo.toml': CRATE_MANIFEST,
        'src/main.rs': 'mod util;\nfn main() { println!("{}", util::double(21)); }\n',
        'src/util.rs': 'pub fn double(x: i32) -> i32 { x * 2 }\n',
      },
      expectedStdout: '42',
    });
    expect(r.verdict).toBe('passed');
  });

  it('a crate with dependencies is a compile_error naming the entry', async () => {
    const r = await executor.run({
      language: 'rust',
      cargo: true,
      source: 'fn main() {}\n',
      files: { 'Cargo.toml': `${CRATE_MANIFEST}\n[dependencies]\nrand = "0.8"\n` },
    });
    expect(r.verdict).toBe('compile_error');
    expect(r.diagnostics?.[0]).toMatchObject({ file: 'Cargo.toml', line: 7 });
    expect(r.diagnostics?.[0]?.message).toContain("'rand'");
  });

  it('crate compile errors come from cargo JSON messages', async () => {
    const r = await executor.run({
      language: 'rust',
      cargo: true,
      source: 'fn main() { let s: String = 5; }\n',
      files: { 'Cargo.toml': CRATE_MANIFEST },
    });
    expect(r.verdict).toBe('compile_error');
    expect(r.diagnostics?.find((d) => d.level === 'error')).toMatchObject({
      code: 'E0308',
      file: 'src/main.rs',
      line: 1,
    });
  });
});

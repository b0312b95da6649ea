import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runC2RustBench } from '../../../graphs/c2rust/run-c2rust-bench.ts';
import { shippedPipelines } from '../../../graphs/index.ts';
import { PipelineRegistry } from '../../../src/runtime/pipeline-registry.ts';

const scratch = mkdtempSync(join(tmpdir(), 'refinery-c2rust-bench-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function task(name: string, files: Record<string, string>): void {
  mkdirSync(join(scratch, 'tasks', name), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(scratch, 'tasks', name, file), text);
}

const HELLO_C =
  '#include <stdio.h>\nint twice(int x) { return 2 * x; }\nint main(void) { printf("%d\\n", twice(21)); return 0; }\n';

describe('refinery bench c2rust: each failure ends its task with its own status, and the bench goes on', () => {
  it('reports a C file that does not preprocess, a task with no main, a looping translation, one without fn main, a pass', {
    timeout: 180_000,
  }, async () => {
    task('a-no-preprocess', { 'main.c': '#include "missing.h"\nint main(void) { return 0; }\n' });
    task('b-no-main', { 'main.c': 'int helper(int x) { return x + 1; }\n', 'rustmap_gpt4o.rs': 'fn main() {}\n' });
    task('c-loops', {
      'main.c': HELLO_C,
      'rustmap_gpt4o.rs':
        'fn main() {\n    let mut i: u64 = 0;\n    loop {\n        i = i.wrapping_add(1);\n        std::hint::black_box(i);\n    }\n}\n',
    });
    task('d-passes', {
      'main.c': HELLO_C,
      'rustmap_gpt4o.rs': 'fn twice(x: i32) -> i32 {\n    2 * x\n}\n\nfn main() {\n    println!("{}", twice(21));\n}\n',
    });
    task('e-lib-only', { 'main.c': HELLO_C, 'rustmap_gpt4o.rs': 'pub fn twice(x: i32) -> i32 {\n    2 * x\n}\n' });
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await runC2RustBench(
        {
          tasks: join(scratch, 'tasks'),
          json: true,
          concurrency: 2,
          onDivergence: 'stop',
          set: [`execution.cacheDir=${join(scratch, 'cache')}`, 'options.runTimeoutSec=1'],
        },
        { pipelines: new PipelineRegistry(shippedPipelines), cwd: scratch },
      );
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
    }
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    const byId = Object.fromEntries(summary.per_task.map((t: { id: string }) => [t.id, t]));
    expect(byId['a-no-preprocess']).toMatchObject({
      kind: 'c-check',
      outcome: 'preprocess-failed',
      c_status: 'c-build-failed',
    });
    expect(byId['a-no-preprocess'].message).toMatch(/missing\.h/);
    expect(byId['b-no-main']).toMatchObject({ kind: 'translated', outcome: 'no-main', rust_builds: null });
    expect(byId['b-no-main'].message).toMatch(/defines no main function \(functions: helper\)/);
    expect(byId['c-loops']).toMatchObject({
      outcome: 'no-recorded-reply',
      rust_builds: true,
      stdout_equal: false,
      tests: { passed: 0, total: 1 },
    });
    expect(byId['c-loops'].message).toMatch(/time limit/);
    expect(byId['d-passes']).toMatchObject({
      outcome: 'passed',
      rust_builds: true,
      stdout_equal: true,
      c_status: 'ok',
    });
    // a whole-file translation without fn main does not build (as with rustc): no stub main in a complete crate
    expect(byId['e-lib-only']).toMatchObject({ outcome: 'no-recorded-reply', rust_builds: false });
    expect(summary).toMatchObject({ tasks: 5, translated: 4, rust_builds: 2, stdout_equal: 1 });
    expect(summary.unsafe.RawPtrDeref).toBe(0);
    expect(typeof summary.wall_s).toBe('number');
    expect(summary.cache_misses).toBeGreaterThan(0);
  });
});

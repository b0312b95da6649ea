import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_TASK_DIR } from '../../../graphs/c2rust/c2rust-example.ts';
import type { C2RustResult } from '../../../graphs/c2rust/c2rust-schemas.ts';
import { c2rustPipeline } from '../../../graphs/c2rust/index.ts';
import { createRefinery } from '../../../src/runtime/create-refinery.ts';
import { silentProgress } from '../../../src/runtime/progress-reporter.ts';
import { ExampleModelClient } from '../../../src/testing/example-model-client.ts';
import { readTrajectory } from '../../../src/trajectory/trajectory-reader.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'refinery-c2rust-example-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!existsSync(resolve(root, EXAMPLE_TASK_DIR)))(
  'c2rust example (CodeNet s194089613, scripted coder)',
  () => {
    it('runs both repair branches and ends with every recorded test passing', { timeout: 120_000 }, async () => {
      const refinery = createRefinery({ pipelines: [c2rustPipeline] });
      const inputs = await c2rustPipeline.example!.prepare(scratch);
      const client = new ExampleModelClient(inputs.replies);
      const run = await refinery.run({
        cwd: root,
        configPath: resolve(root, inputs.config),
        set: inputs.set ?? [],
        env: {},
        task: inputs.task,
        models: { default: client },
        trajectoryPath: join(scratch, 'run.jsonl'),
        progress: silentProgress,
      });
      const result = run.result as C2RustResult;
      expect(run.status, run.summary).toBe('passed');
      // callees first: createNode, then addNodeToList, then main
      expect(result.units.map((u) => u.functions)).toEqual([['createNode'], ['addNodeToList'], ['main']]);
      expect(result.units.map((u) => u.attempts)).toEqual([1, 2, 1]);
      expect(result.repairs).toEqual({ build: 1, test: 1 });
      expect(result.firstBuild).toBe(true);
      expect(result.firstTestsEqual).toBe(false);
      expect(result.tests).toEqual({ passed: 10, total: 10 });
      expect(result.unsafe?.categories.RawPtrDeref).toBe(0);
      expect(result.crate).toContain('for i in (0..a.len()).rev()');
      const events = readTrajectory(run.trajectoryPath!).events;
      const builds = events.filter((e) => e.type === 'execution' && e.kind === 'c2rust-cargo-build');
      expect(builds.map((e) => (e.type === 'execution' ? (e.result as { ok: boolean }).ok : null))).toEqual([
        true,
        false,
        true,
        true,
        true,
      ]);
    });
  },
);

describe('c2rust with unsafe forbidden', () => {
  it('turns unsafe code into compile feedback, and the safe repair passes', { timeout: 120_000 }, async () => {
    const refinery = createRefinery({ pipelines: [c2rustPipeline] });
    const unsafeReply =
      '```rust\nstatic mut N: i32 = 41;\nfn main() {\n    unsafe {\n        N += 1;\n        println!("{}", N);\n    }\n}\n```\n';
    const safeReply = '```rust\nfn main() {\n    let n: i32 = 41 + 1;\n    println!("{}", n);\n}\n```\n';
    const run = await refinery.run({
      cwd: root,
      configPath: resolve(root, 'configs/c2rust.yaml'),
      set: ['options.forbidUnsafe=true', 'options.units=program', `execution.cacheDir=${join(scratch, 'cache')}`],
      env: {},
      task: {
        id: 'forty-two',
        files: { 'main.c': '#include <stdio.h>\nint n = 41;\nint main(void) { n++; printf("%d\\n", n); return 0; }\n' },
      },
      models: { default: new ExampleModelClient({ coder: [unsafeReply, safeReply] }) },
      trajectoryPath: join(scratch, 'forbid.jsonl'),
      progress: silentProgress,
    });
    const result = run.result as C2RustResult;
    expect(run.status, run.summary).toBe('passed');
    expect(result.firstBuild).toBe(false);
    expect(result.crate?.startsWith('#![forbid(unsafe_code)]\n')).toBe(true);
    expect(result.unsafe?.unsafeBlocks).toBe(0);
    const coderCalls = readTrajectory(run.trajectoryPath!).events.filter((e) => e.type === 'model_call');
    const repairPrompt = JSON.stringify(coderCalls[1]?.type === 'model_call' ? coderCalls[1].request : null);
    expect(repairPrompt).toMatch(/unsafe/);
    expect(repairPrompt).toContain('forbid(unsafe_code)');
  });
});

describe('c2rust planner answering the coder', () => {
  it('answers NEED: name with the C definition from the analysis, then takes the code', {
    timeout: 120_000,
  }, async () => {
    const refinery = createRefinery({ pipelines: [c2rustPipeline] });
    const code =
      '```rust\nfn twice(x: i32) -> i32 {\n    2 * x\n}\n\nfn main() {\n    println!("{}", twice(21));\n}\n```\n';
    const run = await refinery.run({
      cwd: root,
      configPath: resolve(root, 'configs/c2rust.yaml'),
      set: [`execution.cacheDir=${join(scratch, 'cache')}`],
      env: {},
      task: {
        id: 'need-twice',
        files: {
          'main.c':
            '#include <stdio.h>\n#define FACTOR 2\nint twice(int x) { return FACTOR * x; }\nint main(void) { printf("%d\\n", twice(21)); return 0; }\n',
        },
      },
      models: { default: new ExampleModelClient({ coder: ['NEED: twice', code, code] }) },
      trajectoryPath: join(scratch, 'need.jsonl'),
      progress: silentProgress,
    });
    expect(run.status, run.summary).toBe('passed');
    const calls = readTrajectory(run.trajectoryPath!).events.filter((e) => e.type === 'model_call');
    const prompts = calls.map((c) => JSON.stringify(c.type === 'model_call' ? c.request.messages : null));
    // unit 1 (twice) asks, gets its definition, answers; unit 2 (main) sees twice's Rust signature
    expect(prompts[1]).toContain('The definitions you asked for');
    expect(prompts[1]).toContain('int twice(int x) { return FACTOR * x; }');
    expect(prompts[2]).toContain('fn twice(x: i32) -> i32;');
    expect((run.result as C2RustResult).crate).toContain('mod globals;');
  });
});

describe('c2rust --c-dir', () => {
  it('builds the task from a task folder (stdin and argv tiers)', async () => {
    const dir = join(scratch, 'folder-task');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.c'), 'int main(int c, char **v) { return 0; }\n');
    writeFileSync(join(dir, 'tests.json'), JSON.stringify([{ input: '1  2', output: '3' }]));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ id: 'sum2', input_mode: 'argv' }));
    const task = await c2rustPipeline.taskFromFlags!({ cDir: 'folder-task' }, scratch);
    expect(task).toEqual({
      id: 'sum2',
      files: { 'main.c': 'int main(int c, char **v) { return 0; }\n' },
      tests: [{ args: ['1', '2'], expected: '3' }],
      comparison: 'lines-stripped',
    });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ id: 'sum2', input_mode: 'stdin' }));
    expect((await c2rustPipeline.taskFromFlags!({ cDir: dir }, '/')).tests).toEqual([
      { stdin: '1  2\n', expected: '3' },
    ]);
    await expect(c2rustPipeline.taskFromFlags!({ cDir: 'nowhere' }, scratch)).rejects.toThrow(/holds no main\.c/);
  });
});

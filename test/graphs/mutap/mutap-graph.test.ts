import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mutapPipeline } from '../../../graphs/mutap/index.ts';
import type { MutapResult } from '../../../graphs/mutap/mutap-result.ts';
import { closeSharedPythonWorkerPool } from '../../../src/execution/batch/index.ts';
import { createRefinery } from '../../../src/runtime/create-refinery.ts';
import { silentProgress } from '../../../src/runtime/progress-reporter.ts';
import { ExampleModelClient } from '../../../src/testing/example-model-client.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'refinery-mutap-graph-'));
afterAll(async () => {
  await closeSharedPythonWorkerPool();
  rmSync(scratch, { recursive: true, force: true });
});

const refinery = createRefinery({ pipelines: [mutapPipeline] });

async function run(task: unknown, tester: string[], set: string[] = [], name = 'run') {
  const client = new ExampleModelClient({ tester });
  const outcome = await refinery.run({
    cwd: root,
    configPath: resolve(root, 'configs/mutap.yaml'),
    // No cache: these runs must execute (a content-hash hit would not show a broken harness).
    set: ['execution.cache=false', ...set],
    env: {},
    task,
    models: { default: client },
    trajectoryPath: join(scratch, `${name}.jsonl`),
    progress: silentProgress,
  });
  return { ...outcome, result: outcome.result as MutapResult };
}

describe('the MuTAP graph', () => {
  it('runs every stage on the example: truncation, oracle fix, score, one augmentation, merge, AUT, minimisation', async () => {
    const inputs = await mutapPipeline.example!.prepare(scratch);
    const { status, result } = await run(inputs.task, inputs.replies.tester!, [], 'example');
    expect(result.problem).toBeNull();
    expect(result.syntaxFix).toEqual({ modelRepairs: 0, truncations: 1 });
    // clamp(20, 0, 10) == 11 is repaired to the PUT's 10
    expect(result.oracleFix).toEqual({ passed: 1, repaired: 1, dropped: 0 });
    expect(result.scores[0]!.content).toContain('assert clamp(20, 0, 10) == 10');
    // the IUT misses the mutant that returns high below the range; the augmentation reply kills it
    expect(result.scores.map((s) => s.counts)).toEqual([
      { killed: 3, survived: 1, problematic: 0, timeout: 0 },
      { killed: 4, survived: 0, problematic: 0, timeout: 0 },
    ]);
    expect(result.scores[0]!.survivors).toEqual([3]);
    expect(result.scores.map((s) => s.suiteOnPut)).toEqual(['pass', 'pass']);
    expect(result.augmentationCalls).toBe(1);
    expect(result.minimised?.failsOn).toBe(4);
    expect(result.minimised?.asserts).toBeLessThan(result.scores[1]!.asserts);
    expect(status).toBe('passed');
  });

  it('ends with a documented problem when no assert survives the fixes', async () => {
    const task = { id: 'no-assert', put: 'def f(x):\n    return x\n' };
    const { status, result } = await run(task, ['    print(f(1))\n'], [], 'no-assert');
    expect(result.problem).toBe('no assert is left after the oracle fix');
    expect(result.scores).toEqual([]);
    expect(status).toBe('failed');
  });

  it('stops before any model call on a PUT that does not parse, naming the line', async () => {
    const task = { id: 'broken-put', put: 'def f(x):\n    return x +\n' };
    const { status, result } = await run(task, [], [], 'broken-put');
    expect(result.problem).toBe('the PUT does not parse (SyntaxError at line 2)');
    expect(result.scores).toEqual([]);
    expect(status).toBe('failed');
  });

  it('gives a mutant that never ends the timeout verdict, and scores the others', async () => {
    const put = 'def f(n):\n    i = 0\n    while i < n:\n        i += 1\n    return i\n';
    const task = {
      id: 'never-ends',
      put,
      mutants: [{ source: put.replace('i += 1', 'i -= 1') }, { source: put.replace('return i', 'return i + 1') }],
    };
    const { result } = await run(
      task,
      ['    assert f(3) == 3\n'],
      ['options.cpuLimitSec=1', 'options.rounds=0', 'options.minimise=none'],
      'never-ends',
    );
    expect(result.scores[0]!.counts).toEqual({ killed: 1, survived: 0, problematic: 0, timeout: 1 });
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CodetResult } from '../../graphs/codet/index.ts';
import type { RefineResult } from '../../graphs/refine/index.ts';
import type { RepoRunResult } from '../../graphs/repo/index.ts';
import { closeSharedPythonWorkerPool } from '../../src/execution/batch/index.ts';
import { ExampleModelClient } from '../../src/testing/example-model-client.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

afterAll(async () => {
  await closeSharedPythonWorkerPool();
});

/** Runs a shipped pipeline's example with extra `--set` budgets. */
async function runExample(name: string, set: string[]) {
  const definition = shippedRefinery.pipelines.get(name)!;
  const scratch = mkdtempSync(join(tmpdir(), `budget-stop-${name}-`));
  const inputs = await definition.example!.prepare(scratch);
  const loaded = await shippedRefinery.loadConfig(inputs.config, { env: {} });
  const client = new ExampleModelClient(inputs.replies);
  const run = await shippedRefinery.run({
    configPath: inputs.config,
    set,
    env: {},
    task: inputs.task,
    models: Object.fromEntries(Object.keys(loaded.config.models).map((model) => [model, client])),
    trajectoryPath: join(scratch, 'run.jsonl'),
  });
  const final = readTrajectory(run.trajectoryPath!).events.at(-1)!;
  expect(final).toMatchObject({ type: 'final', status: run.status, result: run.result });
  return run;
}

describe('a budget stop returns what the pipeline had reached', () => {
  it('codet: stopped before the tester, the result counts the solutions sampled and ranks nothing', async () => {
    const run = await runExample('codet', ['budgets.modelCalls=1']);
    expect(run.status).toBe('exhausted:calls');
    const result = run.result as CodetResult;
    expect(result).toMatchObject({
      taskId: 'Tiny/0',
      solutions: 7,
      tests: { distinct: 0, total: 0 },
      pick: null,
      pools: 0,
      evaluation: null,
    });
  });

  it('refine: stopped after the first coder attempt, the result keeps that attempt and its test counts', async () => {
    const run = await runExample('refine', ['budgets.iterations=1']);
    expect(run.status).toBe('exhausted:iterations');
    const result = run.result as RefineResult;
    expect(result).toMatchObject({ passed: false, attempt: 1, iterations: 1, visible: { passed: 1, total: 4 } });
    expect(result.code).toContain('range(1, len(values))');
    expect(result.feedback).toContain('expected: [3, 3, 4, 4, 5]');
  });

  it("repo: stopped after one iteration whose edit did not apply, the result names the worktree holding the tester's test", async () => {
    const run = await runExample('repo', ['budgets.iterations=1']);
    expect(run.status).toBe('exhausted:iterations');
    const result = run.result as RepoRunResult;
    expect(result).toMatchObject({ commits: [], iterations: 1, testsPassed: false, accepted: false, diff: null });
    expect(existsSync(result.worktree)).toBe(true);
    expect(readFileSync(join(result.worktree, 'tests/test_core.py'), 'utf8')).toContain('def test_mean_of_one_value');
    expect(readFileSync(join(result.worktree, 'stats/core.py'), 'utf8')).toContain('len(values) - 1');
    expect(run.summary).toContain(`uncommitted work, if any, is in ${result.worktree}`);
  });
});

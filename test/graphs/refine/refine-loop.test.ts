import { describe, expect, it } from 'vitest';
import type { RefineResult } from '../../../graphs/refine/refine-pipeline.ts';
import { EXIT_CODES } from '../../../src/runtime/exit-status.ts';
import { runRefine } from './support/refine-runs.ts';
import { BUGGY_CODER_REPLY, FIXED_CODER_REPLY, PLANNER_REPLY, TESTER_REPLY } from './support/running-max-replies.ts';
import { ScriptedModelClient } from './support/scripted-model-client.ts';

const fence = '```';

describe('refine loop (scripted model, real executions)', () => {
  it('repairs an off-by-one from the critic feedback and ends passed', async () => {
    const model = ScriptedModelClient.fromLists({
      planner: [PLANNER_REPLY],
      coder: [BUGGY_CODER_REPLY, FIXED_CODER_REPLY],
      tester: [TESTER_REPLY],
    });
    const run = await runRefine(model);
    expect(run.status).toBe('passed');
    expect(run.exitCode).toBe(0);
    const result = run.result as RefineResult;
    expect(result.attempt).toBe(2);
    expect(result.code).toContain('for value in values:');
    expect(result.visible).toEqual({ passed: 4, total: 4 });
    expect(result.hidden).toEqual({ passed: 3, total: 3 });
    expect(result.attempts.map((a) => [a.attempt, a.passed, a.visible.passed])).toEqual([
      [1, false, 1],
      [2, true, 4],
    ]);

    // The second coder prompt carries the plan, the failed code and the critic's facts about it.
    const [first, second] = model.requestsOf('coder');
    const firstPrompt = first!.messages.at(-1)!.content;
    const repairPrompt = second!.messages.at(-1)!.content;
    expect(firstPrompt).toContain('- Walk through `values` once');
    expect(firstPrompt).not.toContain('Your previous attempt');
    expect(repairPrompt).toContain('Your previous attempt (attempt 1):');
    expect(repairPrompt).toContain('for i in range(1, len(values)):');
    expect(repairPrompt).toContain(
      'FAILED: visible test 1: assert running_max([3, 1, 4, 1, 5]) == [3, 3, 4, 4, 5]\n  expected: [3, 3, 4, 4, 5]\n  actual:   [3, 3, 4, 4]',
    );

    // Graph order in the trajectory: planner, coder, tester, execute, critic, coder, execute, hidden tests.
    const nodes = run.events.filter((e) => e.type === 'node_enter').map((e) => (e as { node: string }).node);
    expect(nodes).toEqual(['planner', 'coder', 'tester', 'execute', 'critic', 'coder', 'execute', 'hidden_tests']);
    expect(run.events.filter((e) => e.type === 'execution')).toHaveLength(3);
    expect(run.events.at(-1)).toMatchObject({
      type: 'final',
      status: 'passed',
      totals: { iterations: 2, modelCalls: 4 },
    });
  });

  it('ends failed after maxParseFailures replies without code, without running anything', async () => {
    const model = ScriptedModelClient.fromLists({ coder: ['I would keep the largest value seen so far.'] });
    const run = await runRefine(model, {
      set: ['options.planner=false', 'options.tester=false', 'options.maxParseFailures=2'],
    });
    expect(run.status).toBe('failed');
    expect(run.exitCode).toBe(EXIT_CODES.failed);
    const result = run.result as RefineResult;
    expect(result.stopReason).toBe('the coder gave no usable code 2 times in a row (options.maxParseFailures: 2)');
    expect(result.code).toBeNull();
    expect(run.events.some((e) => e.type === 'execution')).toBe(false);
    expect(model.requestsOf('coder')[1]!.messages.at(-1)!.content).toContain(
      'Your reply could not be used: the reply contained no ```python code block, so nothing was run.',
    );
  });

  it('ends failed when the coder resubmits code that already failed', async () => {
    const model = ScriptedModelClient.fromLists({ coder: [BUGGY_CODER_REPLY] });
    const run = await runRefine(model, {
      set: ['options.planner=false', 'options.tester=false', 'options.maxRepeatedCandidates=1'],
    });
    expect(run.status).toBe('failed');
    const result = run.result as RefineResult;
    expect(result.stopReason).toContain('resubmitted already-failed code 1 times');
    expect(result.iterations).toBe(2);
    expect(result.failedTests).toEqual([
      'assert running_max([3, 1, 4, 1, 5]) == [3, 3, 4, 4, 5]',
      'assert running_max([7]) == [7]',
      'assert running_max([-5, -2, -9]) == [-5, -2, -2]',
    ]);
  });

  it('with critic: model, appends the model analysis to the facts, and skips it when no iteration is left', async () => {
    const analysis = 'range(1, len(values)) skips the last prefix; iterate over every element.';
    const model = ScriptedModelClient.fromLists({ coder: [BUGGY_CODER_REPLY, FIXED_CODER_REPLY], critic: [analysis] });
    const run = await runRefine(model, {
      set: ['options.planner=false', 'options.tester=false', 'options.critic=model'],
    });
    expect(run.status).toBe('passed');
    const criticPrompt = model.requestsOf('critic')[0]!.messages.at(-1)!.content;
    expect(criticPrompt).toContain('for i in range(1, len(values)):');
    expect(criticPrompt).toContain('expected: [3, 3, 4, 4, 5]');
    expect(model.requestsOf('coder')[1]!.messages.at(-1)!.content).toContain(`Critic's analysis:\n${analysis}`);

    const lastIteration = ScriptedModelClient.fromLists({ coder: [BUGGY_CODER_REPLY], critic: [analysis] });
    const capped = await runRefine(lastIteration, {
      set: ['options.planner=false', 'options.tester=false', 'options.critic=model', 'budgets.iterations=1'],
    });
    expect(capped.status).toBe('exhausted:iterations');
    expect(lastIteration.requestsOf('critic')).toHaveLength(0);
  });

  it('treats tester asserts as advisory by default and as blocking with testerTestsBlock', async () => {
    const wrongTester = `${fence}python\nassert running_max([2, 1]) == [2, 1]\n${fence}`;
    const advisory = ScriptedModelClient.fromLists({ coder: [FIXED_CODER_REPLY], tester: [wrongTester] });
    const passed = await runRefine(advisory, { set: ['options.planner=false'] });
    expect(passed.status).toBe('passed');
    expect((passed.result as RefineResult).tester).toEqual({
      passed: 0,
      total: 1,
      tests: ['assert running_max([2, 1]) == [2, 1]'],
    });

    const blocking = ScriptedModelClient.fromLists({ coder: [FIXED_CODER_REPLY], tester: [wrongTester] });
    const blocked = await runRefine(blocking, {
      set: ['options.planner=false', 'options.testerTestsBlock=true', 'budgets.iterations=1'],
    });
    expect(blocked.status).toBe('exhausted:iterations');
    expect((blocked.result as RefineResult).feedback).toContain('Extra tests (they must pass too): 0 of 1 passed.');
  });
});

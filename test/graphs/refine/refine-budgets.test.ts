import { describe, expect, it } from 'vitest';
import type { RefineResult } from '../../../graphs/refine/refine-pipeline.ts';
import { EXIT_CODES } from '../../../src/runtime/exit-status.ts';
import type { TrajectoryEvent } from '../../../src/trajectory/trajectory-events.ts';
import { runRefine } from './support/refine-runs.ts';
import { ScriptedModelClient, type ScriptedReply } from './support/scripted-model-client.ts';

const fence = '```';
const NO_HELPERS = ['options.planner=false', 'options.tester=false'];

/** A coder that never gets it right, with a different (still wrong) candidate every attempt. */
function alwaysWrong(extra: Omit<ScriptedReply, 'text'> = {}): ScriptedModelClient {
  return new ScriptedModelClient((_request, n) => ({
    text: `${fence}python\ndef running_max(values):\n    # attempt ${n + 1}\n    return values[:${n}]\n${fence}`,
    ...extra,
  }));
}

function finalTotals(events: TrajectoryEvent[]) {
  const final = events.at(-1);
  if (final?.type !== 'final') throw new Error('no final event');
  return final.totals;
}

describe('refine budgets: each ending has its own status', () => {
  it('exhausted:iterations after the configured number of coder attempts', async () => {
    const model = alwaysWrong();
    const run = await runRefine(model, { set: [...NO_HELPERS, 'budgets.iterations=2'] });
    expect(run.status).toBe('exhausted:iterations');
    expect(run.exitCode).toBe(EXIT_CODES['exhausted:iterations']);
    expect(model.requestsOf('coder')).toHaveLength(2);
    const result = run.result as RefineResult;
    expect(result.iterations).toBe(2);
    // The best attempt so far is kept in the result: attempt 2 returns values[:1], right for the one-element test.
    expect(result.attempt).toBe(2);
    expect(result.visible).toEqual({ passed: 2, total: 4 });
    expect(run.events.at(-1)).toMatchObject({ type: 'final', status: 'exhausted:iterations', result: { attempt: 2 } });
  });

  it('exhausted:tokens, overshooting the cap by at most one call', async () => {
    const perCall = 1000;
    const cap = 2500;
    const model = alwaysWrong({ inputTokens: 800, outputTokens: 200 });
    const run = await runRefine(model, { set: [...NO_HELPERS, 'budgets.iterations=50', `budgets.tokens=${cap}`] });
    expect(run.status).toBe('exhausted:tokens');
    expect(run.exitCode).toBe(EXIT_CODES['exhausted:tokens']);
    const totals = finalTotals(run.events);
    const used = totals.inputTokens + totals.outputTokens;
    expect(used).toBeGreaterThanOrEqual(cap);
    expect(used).toBeLessThanOrEqual(cap + perCall);
    expect(model.requests).toHaveLength(used / perCall);
  });

  it('exhausted:cost, never more than one call over the USD cap', async () => {
    const perCall = 0.3;
    const cap = 1;
    const model = alwaysWrong({ costUsd: perCall });
    const run = await runRefine(model, { set: [...NO_HELPERS, 'budgets.iterations=50', `budgets.costUsd=${cap}`] });
    expect(run.status).toBe('exhausted:cost');
    expect(run.exitCode).toBe(EXIT_CODES['exhausted:cost']);
    const { costUsd } = finalTotals(run.events);
    expect(costUsd).toBeGreaterThanOrEqual(cap);
    expect(costUsd).toBeLessThanOrEqual(cap + perCall);
    expect(model.requests).toHaveLength(4);
  });

  it('exhausted:time when the wall budget runs out, cutting the coder call still in flight', async () => {
    const model = alwaysWrong({ delayMs: 1200 });
    const run = await runRefine(model, { set: [...NO_HELPERS, 'budgets.iterations=50', 'budgets.wallSeconds=1'] });
    expect(run.status).toBe('exhausted:time');
    expect(run.exitCode).toBe(EXIT_CODES['exhausted:time']);
    // The first call was sent; the spine stopped the run at 1 s, before its 1.2 s reply, so no attempt finished.
    expect(model.requests).toHaveLength(1);
    expect(run.events.some((e) => e.type === 'model_call')).toBe(false);
    expect((run.result as RefineResult).attempts).toHaveLength(0);
    expect(run.events.at(-1)).toMatchObject({
      type: 'final',
      status: 'exhausted:time',
      result: { attempts: [], iterations: 1 },
    });
  });
});

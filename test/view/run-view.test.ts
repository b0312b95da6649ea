import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/replay/line-diff.ts';
import type { ExecutionEvent, ModelCallEvent } from '../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { buildRunView, promptText } from '../../src/view/build-run-view.ts';
import { summarizeExecution, verdictOf } from '../../src/view/summarize-execution.ts';
import { killedPrefix, REFINE_RUN, readEvents, SHIPPED_TRAJECTORIES } from './view-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'refinery-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildRunView', () => {
  it.each(SHIPPED_TRAJECTORIES)('%s: one span per node run, every call and execution, the final status', (path) => {
    const events = readEvents(path);
    const run = buildRunView(readTrajectory(path));
    const enters = events.filter((e) => e.type === 'node_enter');
    expect(run.spans.map((s) => `${s.step}:${s.node}`)).toEqual(enters.map((e) => `${e.step}:${e.node}`));
    const exits = events.filter((e) => e.type === 'node_exit');
    expect(run.spans.map((s) => s.durationMs)).toEqual(exits.map((e) => e.durationMs));
    expect(run.calls.map((c) => run.events[c.event]!.type)).toEqual(
      events.filter((e) => e.type === 'model_call' || e.type === 'model_error').map((e) => e.type),
    );
    expect(run.executions).toHaveLength(events.filter((e) => e.type === 'execution').length);
    expect(run.final?.status).toBe((events.at(-1) as { status: string }).status);
    expect(run.truncated).toBeNull();
  });

  it("diffs each model call against the same agent's previous call, and only that", () => {
    const run = buildRunView(readTrajectory(REFINE_RUN));
    const byAgent = new Map<string, number>();
    for (const call of run.calls) {
      expect(call.previous).toBe(byAgent.get(call.agent) ?? null);
      if (call.previous === null) expect(call.promptDiff).toBe('');
      byAgent.set(call.agent, call.event);
    }
    const second = run.calls.find((c) => c.previous !== null)!;
    expect(second.promptDiff).toMatch(/^@@ /);
    // The same diff, hunk line numbers included, as replay's lineDiff on the two whole prompts.
    const [before, now] = [run.events[second.previous!], run.events[second.event]] as ModelCallEvent[];
    expect(second.promptDiff).toBe(lineDiff(promptText(before!.request), promptText(now!.request)));
  });

  it('marks a killed run as truncated and leaves its last node open', () => {
    const events = readEvents(REFINE_RUN);
    const cut = events.findIndex((e) => e.type === 'node_enter' && e.node === 'execute') + 1;
    const run = buildRunView(readTrajectory(killedPrefix(REFINE_RUN, join(dir, 'killed.jsonl'), cut)));
    expect(run.truncated).toMatch(/cut off/);
    expect(run.final).toBeNull();
    expect(run.spans.at(-1)).toMatchObject({ node: 'execute', exit: null, durationMs: null });
  });
});

describe('summarizeExecution: verdict, limits and excerpts from any step kind', () => {
  const event = (request: unknown, result: unknown): ExecutionEvent => ({
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    type: 'execution',
    node: 'n',
    kind: 'k',
    key: 'x',
    request,
    result,
  });

  it('reads verdict, status, passed and timedOut, and counts the verdicts of a batch', () => {
    expect(verdictOf({ verdict: 'error' })).toBe('error');
    expect(verdictOf({ passed: false })).toBe('failed');
    expect(verdictOf({ passed: false, timedOut: true })).toBe('timeout');
    expect(verdictOf({ outcomes: [{ status: 'passed' }, { status: 'failed' }, { status: 'passed' }] })).toBe(
      '2 passed, 1 failed',
    );
    expect(verdictOf({ outcomes: ['passed', 'failed', 'passed'] })).toBe('2 passed, 1 failed');
    expect(
      verdictOf({
        rows: [
          [true, false],
          [true, true],
        ],
        timeouts: 0,
      }),
    ).toBe('3 true, 1 false');
    expect(verdictOf(['assert f(1) == 2', 'assert f(2) == 3'])).toBe('');
    expect(verdictOf({ n: 1 })).toBe('');
  });

  it('takes limits from the request and the program and outputs as excerpts', () => {
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const view = summarizeExecution(
      event({ source: 'print(1)', limits: { timeoutSec: 2, memoryMb: 512 } }, { verdict: 'passed', stdout: long }),
      3,
    );
    expect(view.verdict).toBe('passed');
    expect(view.limits).toEqual({ 'request.limits.timeoutSec': 2, 'request.limits.memoryMb': 512 });
    expect(view.excerpts[0]).toEqual({ label: 'request.source', text: 'print(1)' });
    expect(view.excerpts[1]!.label).toBe('result.stdout');
    expect(view.excerpts[1]!.text.split('\n').length).toBeLessThan(40);
    expect(view.excerpts[1]!.text).toContain('100 lines');
  });
});

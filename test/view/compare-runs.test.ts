import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { buildRunView } from '../../src/view/build-run-view.ts';
import { compareRuns } from '../../src/view/compare-runs.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';
import { killedPrefix, REFINE_RUN, REPO_ROOT, readEvents, withEditedPrompt, writeEvents } from './view-fixtures.ts';

type NodeEnter = Extract<TrajectoryEvent, { type: 'node_enter' }>;
type Budget = Extract<TrajectoryEvent, { type: 'budget' }>;

const dir = mkdtempSync(join(tmpdir(), 'refinery-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const view = (path: string) => buildRunView(readTrajectory(path));

describe('compareRuns: two runs of the same task aligned by step', () => {
  it('finds no difference between a run and its replay (exec recorded), and aligns every step', async () => {
    const replay = join(dir, 'replay.jsonl');
    const run = await shippedRefinery.run({
      cwd: REPO_ROOT,
      replay: { trajectoryPath: REFINE_RUN, exec: 'recorded', onDivergence: 'stop' },
      trajectoryPath: replay,
      progress: silentProgress,
    });
    expect(run.status, run.summary).toBe('passed');
    const comparison = compareRuns(view(REFINE_RUN), view(replay));
    const steps = readEvents(REFINE_RUN).filter((e) => e.type === 'node_enter').length;
    expect(comparison.rows).toHaveLength(steps);
    expect(comparison.rows.every((r) => r.same)).toBe(true);
    expect(comparison.first).toBeNull();
  });

  it("shows where a replay with an edited prompt file diverged, with replay's own diff", async () => {
    // The recorded config names its prompt files relative to the working directory: replay from a copy of
    // agents/ in which one line is added to the coder's repair prompt.
    const cwd = join(dir, 'edited-agents');
    cpSync(join(REPO_ROOT, 'agents'), join(cwd, 'agents'), { recursive: true });
    const repair = join(cwd, 'agents/refine-coder/repair.md');
    writeFileSync(repair, `Take a deep breath.\n${readFileSync(repair, 'utf8')}`);
    const replay = await shippedRefinery.run({
      cwd,
      replay: { trajectoryPath: REFINE_RUN, exec: 'recorded', onDivergence: 'stop' },
      trajectoryPath: join(dir, 'diverged.jsonl'),
      progress: silentProgress,
    });
    expect(replay.status).toBe('diverged');
    const { first } = compareRuns(view(REFINE_RUN), view(join(dir, 'diverged.jsonl')));
    const repairCall = readEvents(REFINE_RUN).filter((e) => e.type === 'model_call' && e.request.agent === 'coder')[1]!;
    const enter = readEvents(REFINE_RUN)
      .filter((e) => e.type === 'node_enter' && e.seq < repairCall.seq)
      .at(-1)!;
    expect(first?.step).toBe('step' in enter ? enter.step : -1);
    expect(first?.what).toMatch(/^B stopped here, diverged: replay diverged at model step \d+ in node 'coder'/);
    expect(first?.diff).toContain('Take a deep breath.');
  });

  it('stops at the model call whose prompt changed, with a diff of the changed line', () => {
    const edited = withEditedPrompt(REFINE_RUN, join(dir, 'edited.jsonl'));
    const { rows, first } = compareRuns(view(REFINE_RUN), view(edited.path));
    expect(first?.step).toBe(edited.step);
    expect(first?.what).toBe(`model call ${edited.call} (agent '${edited.agent}'): the request differs`);
    expect(first?.diff).toContain(`\n-${edited.removed}\n+${edited.added}`);
    // Every step before it is the same in both runs.
    expect(rows.slice(0, first!.row!).every((r) => r.same)).toBe(true);
    const a = readEvents(REFINE_RUN);
    expect(a[first!.a!]).toMatchObject({ type: 'model_call', call: edited.call });
  });

  it('compares a resumed run by the nodes it ran again, with the calls answered before the kill', () => {
    // Killed after the coder's repair call was written, resumed from the checkpoint after the step before: the
    // coder runs again, its call answered from the event before the kill and not written twice.
    const events = readEvents(REFINE_RUN);
    const call = events.filter((e) => e.type === 'model_call').at(-1)!;
    const enter = events.filter((e) => e.type === 'node_enter' && e.seq < call.seq).at(-1) as NodeEnter;
    const budget = events.filter((e) => e.type === 'budget' && e.seq < enter.seq).at(-1) as Budget;
    const resume: TrajectoryEvent = {
      seq: 0,
      at: call.at,
      type: 'resume',
      fromSeq: enter.seq,
      checkpointStep: enter.step - 1,
      droppedBytes: 0,
      totals: budget.totals,
    };
    const resumed = [
      ...events.slice(0, call.seq + 1),
      resume,
      ...events.slice(enter.seq).filter((e) => e !== call),
    ].map((e, seq) => ({ ...e, seq }) as TrajectoryEvent);
    const run = view(writeEvents(join(dir, 'resumed.jsonl'), resumed));
    expect(run.spans.filter((s) => s.interrupted).map((s) => `${s.step}:${s.node}`)).toEqual([
      `${enter.step}:${enter.node}`,
    ]);
    const again = run.spans.filter((s) => !s.interrupted && s.step === enter.step);
    expect(again.flatMap((s) => s.events.map((i) => run.events[i]!.type))).toContain('model_call');
    const comparison = compareRuns(view(REFINE_RUN), run);
    expect(comparison.rows.every((r) => r.same)).toBe(true);
    expect(comparison.first).toBeNull();
  });

  it("says which run has a step the other lacks (a killed run's prefix against the whole run)", () => {
    const events = readEvents(REFINE_RUN);
    const cut = events.findIndex((e) => e.type === 'node_exit' && e.step === 3) + 1;
    const prefix = killedPrefix(REFINE_RUN, join(dir, 'killed.jsonl'), cut);
    const killed = view(prefix);
    expect(killed.truncated).toMatch(/cut off/);
    const { first } = compareRuns(view(REFINE_RUN), killed);
    expect(first?.step).toBe(4);
    expect(first?.what).toMatch(/^only A has step 4 \(/);
  });
});

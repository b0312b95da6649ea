import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RefineResult } from '../../../graphs/refine/refine-pipeline.ts';
import type { ExecutionRequest, Executor } from '../../../src/execution/execution-types.ts';
import { readTrajectory } from '../../../src/trajectory/trajectory-reader.ts';
import { shippedRefinery } from '../../support/shipped-refinery.ts';
import { executor, REPO_ROOT } from './support/refine-runs.ts';

const FIXTURE = 'fixtures/trajectories/refine-running-max.jsonl';

/** The real executor, counting what it is asked to run. */
function countingExecutor(): Executor & { runs: ExecutionRequest[] } {
  const runs: ExecutionRequest[] = [];
  return {
    runs,
    run: (request, options) => {
      runs.push(request);
      return executor().run(request, options);
    },
  };
}

describe('shipped trajectory fixtures/trajectories/refine-running-max.jsonl', () => {
  it('is portable: relative config path, no absolute paths, no secrets', () => {
    const trajectory = readTrajectory(`${REPO_ROOT}/${FIXTURE}`);
    expect(trajectory.header.configPath).toBe('configs/refine.yaml');
    expect(trajectory.header.baseDir).toBe('.');
    expect((trajectory.header.task as { id: string }).id).toBe('running-max');
    const text = JSON.stringify(trajectory.events);
    expect(text).not.toMatch(/\/tmp\/|\/work\/|\/home\/|127\.0\.0\.1|sk-loopback/);
    expect(trajectory.events.at(-1)).toMatchObject({ type: 'final', status: 'passed' });
  });

  it('replays to passed with every execution re-run for real (exec live, stop on divergence)', async () => {
    const live = countingExecutor();
    const replay = await shippedRefinery.run({
      replay: { trajectoryPath: FIXTURE, exec: 'live', onDivergence: 'stop' },
      cwd: REPO_ROOT,
      trajectoryPath: null,
      executor: live,
    });
    expect(replay.error).toBeUndefined();
    expect(replay.status).toBe('passed');
    const recorded = readTrajectory(`${REPO_ROOT}/${FIXTURE}`).events.filter((e) => e.type === 'execution');
    expect(live.runs).toHaveLength(recorded.length);
    expect(live.runs.map((r) => r.source)).toEqual(recorded.map((e) => (e.request as ExecutionRequest).source));
    const result = replay.result as RefineResult;
    expect(result.attempt).toBe(2);
    expect(result.hidden).toEqual({ passed: 3, total: 3 });
  });

  it('replays to passed from recorded executions without spawning anything', async () => {
    const live = countingExecutor();
    const replay = await shippedRefinery.run({
      replay: { trajectoryPath: FIXTURE, exec: 'recorded', onDivergence: 'stop' },
      cwd: REPO_ROOT,
      trajectoryPath: null,
      executor: live,
    });
    expect(replay.status).toBe('passed');
    expect(live.runs).toHaveLength(0);
    expect((replay.result as RefineResult).code).toContain('for value in values:');
  });

  it('replays from another working directory: the prompts are found in the project holding the trajectory', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'replay-elsewhere-'));
    const replay = await shippedRefinery.run({
      replay: { trajectoryPath: join(REPO_ROOT, FIXTURE), exec: 'recorded', onDivergence: 'stop' },
      cwd: elsewhere,
      trajectoryPath: null,
    });
    expect(replay.status, replay.summary).toBe('passed');
  });
});

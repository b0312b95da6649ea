import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCallEvent } from '../../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../../src/trajectory/trajectory-reader.ts';
import { RUNNING_MAX_TRAJECTORY, recordRunningMaxTrajectory } from './support/record-refine-fixture.ts';
import { REPO_ROOT, scratchDir } from './support/refine-runs.ts';

describe('recording the running-max trajectory through the openai provider and a loopback wire server', () => {
  it('ends passed and asks exactly what the shipped fixture holds', async () => {
    const out = join(scratchDir(), 'refine-running-max.jsonl');
    const recorded = await recordRunningMaxTrajectory(out);
    expect(recorded.status).toBe('passed');
    expect(recorded.httpRequests).toBe(4);
    const requests = (path: string) =>
      readTrajectory(path)
        .events.filter((e): e is ModelCallEvent => e.type === 'model_call')
        .map((e) => e.request);
    const now = requests(out);
    expect(now.map((r) => r.agent)).toEqual(['planner', 'coder', 'tester', 'coder']);
    expect(now).toEqual(requests(join(REPO_ROOT, RUNNING_MAX_TRAJECTORY)));
    expect(readTrajectory(out).header.config).toEqual(
      readTrajectory(join(REPO_ROOT, RUNNING_MAX_TRAJECTORY)).header.config,
    );
  });
});

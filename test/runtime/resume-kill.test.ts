import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { checkpointPathFor } from '../../src/runtime/run-checkpointer.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { REPO_ROOT, seededRandom, spawnRefinery, startLoopbackModel } from '../support/loopback-model.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

// kill -9 at 20 seeded random points: 12 in refine runs, 8 in best-of-n runs (its coder asks the same request
// again for each sample, so answering from the trajectory must keep their order). A kill point is one of: right
// after the n-th trajectory event this process writes, half way through writing the next one (a torn line), or
// when the loopback model server receives the process's n-th request (killed before the reply). Each killed run
// is resumed with `refinery resume` in a new process, which may itself be killed at the next point; once a run
// ends, its result, trajectory and the server's counts are checked against an uninterrupted run.
const SEED = 19;
const dir = mkdtempSync(join(tmpdir(), 'refinery-resume-kill-'));
const executor = createExecutor({ sandbox: 'auto', onWarning: () => {} });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Lane {
  name: string;
  config: string;
  set: string[];
  kills: number;
}

const lanes: Lane[] = [
  { name: 'refine', config: 'configs/refine.yaml', set: [], kills: 12 },
  { name: 'best-of-n', config: 'configs/best-of-n.yaml', set: ['options.samples=4'], kills: 8 },
];

interface Baseline {
  status: string;
  result: unknown;
  requests: string[];
  events: number;
}

interface LaneReport {
  kills: { mode: string; at: number }[];
  chains: number;
  received: number;
  answered: number;
  baselineRequests: number;
}

async function baseline(lane: Lane): Promise<Baseline> {
  const model = await startLoopbackModel();
  try {
    const path = join(dir, `${lane.name}-baseline.jsonl`);
    const run = await shippedRefinery.run({
      configPath: lane.config,
      taskFile: 'fixtures/tasks/running-max.json',
      set: [...lane.set, `models.default.baseUrl=${model.baseUrl}`],
      cwd: REPO_ROOT,
      env: { ...process.env, OPENAI_API_KEY: 'sk-loopback-0000' },
      trajectoryPath: path,
      executor,
      onWarning: () => {},
    });
    return {
      status: run.status,
      result: run.result,
      requests: [...model.answered].sort(),
      events: readTrajectory(path).events.length,
    };
  } finally {
    await model.stop();
  }
}

/** Header first, final last, seq 0..n without a gap, no torn line; each resume event after the events it covers. */
function expectValidTrajectory(events: TrajectoryEvent[], truncated: boolean, resumes: number): void {
  expect(truncated).toBe(false);
  expect(events[0]?.type).toBe('header');
  expect(events.at(-1)?.type).toBe('final');
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  const resumeEvents = events.filter((e) => e.type === 'resume');
  expect(resumeEvents).toHaveLength(resumes);
  for (const e of resumeEvents) if (e.type === 'resume') expect(e.fromSeq).toBeLessThanOrEqual(e.seq);
  expect(events.filter((e) => e.type === 'final')).toHaveLength(1);
}

async function runLane(lane: Lane, expected: Baseline, random: () => number): Promise<LaneReport> {
  const report: LaneReport = { kills: [], chains: 0, received: 0, answered: 0, baselineRequests: 0 };
  let chain = 0;
  while (report.kills.length < lane.kills) {
    chain++;
    const model = await startLoopbackModel();
    const path = join(dir, `${lane.name}-${chain}.jsonl`);
    let killsInChain = 0;
    let requestKills = 0;
    try {
      for (;;) {
        const first = !existsSync(path);
        const written = first ? 0 : readTrajectory(path).events.length;
        // A point inside what is left of the run (the resumed part re-enters the interrupted node, hence +2).
        const left = Math.max(2, expected.events - written + 2);
        const mode =
          report.kills.length >= lane.kills
            ? 'none'
            : (['event', 'torn', 'request'] as const)[Math.floor(random() * 3)]!;
        const at = 1 + Math.floor(random() * (mode === 'request' ? 3 : left - 1));
        const args = first
          ? [
              'run',
              lane.config,
              '--task',
              'fixtures/tasks/running-max.json',
              ...[...lane.set, `models.default.baseUrl=${model.baseUrl}`].flatMap((s) => ['--set', s]),
              '--trajectory',
              path,
              '--quiet',
            ]
          : ['resume', path, '--quiet'];
        const child = spawnRefinery(
          args,
          mode === 'event' || mode === 'torn' ? { killAfterEvents: at, torn: mode === 'torn' } : {},
        );
        if (mode === 'request') model.killOnRequest(child.child, at);
        const exit = await child.exit;
        model.killOnRequest(child.child, Number.POSITIVE_INFINITY);
        if (exit.signal === 'SIGKILL') {
          killsInChain++;
          if (mode === 'request') requestKills++;
          report.kills.push({ mode, at });
          // The prefix a kill leaves is a valid trajectory (a torn last line is reported, not an error).
          const prefix = readTrajectory(path);
          expect(prefix.events[0]?.type).toBe('header');
          expect(existsSync(checkpointPathFor(path))).toBe(true);
          continue;
        }
        expect(exit.stderr).toContain(`status: ${expected.status}`);
        break;
      }
      const { events, truncated } = readTrajectory(path);
      expectValidTrajectory(events, truncated, killsInChain);
      const final = events.at(-1);
      expect(final?.type === 'final' ? final.status : undefined).toBe(expected.status);
      expect(final?.type === 'final' ? final.result : undefined).toEqual(expected.result);
      // Every model call once in the trajectory, and answered once by the server: none sent twice. A request the
      // server received when it killed the process was never answered; it is sent once more on resume.
      const calls = events.flatMap((e) => (e.type === 'model_call' ? [e.request] : []));
      expect(calls).toHaveLength(expected.requests.length);
      expect([...model.answered].sort()).toEqual(expected.requests);
      expect(model.received()).toBe(expected.requests.length + requestKills);
      // The checkpoints go once the run has ended.
      expect(existsSync(checkpointPathFor(path))).toBe(false);
      // The resumed trajectory replays exactly, like an uninterrupted one.
      const replay = await shippedRefinery.run({
        replay: { trajectoryPath: path, exec: 'recorded', onDivergence: 'stop' },
        cwd: REPO_ROOT,
        trajectoryPath: null,
        onWarning: () => {},
      });
      expect(replay.status).toBe(expected.status);
      expect(replay.result).toEqual(expected.result);
      report.chains++;
      report.received += model.received();
      report.answered += model.answered.length;
      report.baselineRequests += expected.requests.length;
    } finally {
      await model.stop();
    }
  }
  return report;
}

describe('kill -9 at seeded random points, resume, and compare with an uninterrupted run', () => {
  it('20 kill points over refine and best-of-n: same result, valid trajectories, no request answered twice', async () => {
    const expected = await Promise.all(lanes.map(baseline));
    // One generator per lane: the lanes run side by side, each drawing its own points in the same order every time.
    const reports = await Promise.all(lanes.map((lane, i) => runLane(lane, expected[i]!, seededRandom(SEED + i))));
    const kills = reports.reduce((n, r) => n + r.kills.length, 0);
    expect(kills).toBe(20);
    for (const [i, r] of reports.entries())
      console.log(
        `${lanes[i]!.name}: ${r.kills.length} kills (${r.kills.map((k) => `${k.mode}@${k.at}`).join(', ')}) in ${r.chains} runs; ` +
          `server received ${r.received} requests, answered ${r.answered}; uninterrupted runs ask ${r.baselineRequests}`,
      );
  }, 300_000);
});

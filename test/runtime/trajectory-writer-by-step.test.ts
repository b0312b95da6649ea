import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'writer-by-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const totals = { iterations: 1, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: 3 };
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('a TrajectoryWriter byStep', () => {
  it("writes a node step's events together, at its budget event, and listeners get each at once", () => {
    const path = join(dir, 'steps.jsonl');
    const writer = new TrajectoryWriter(path, [], 0, { byStep: true });
    const seen: TrajectoryEvent[] = [];
    writer.onEvent((event) => seen.push(event));
    writer.write({ type: 'node_enter', node: 'coder', step: 1 });
    writer.write({ type: 'note', node: 'coder', message: 'thinking' });
    expect(seen.map((e) => e.type)).toEqual(['node_enter', 'note']);
    expect(lines(path)).toEqual([]);
    writer.write({ type: 'node_exit', node: 'coder', step: 1, update: { code: 'x' }, durationMs: 0 });
    writer.write({ type: 'budget', totals });
    expect(lines(path).map((l) => JSON.parse(l).type)).toEqual(['node_enter', 'note', 'node_exit', 'budget']);
    writer.write({ type: 'node_enter', node: 'critic', step: 2 });
    expect(lines(path)).toHaveLength(4);
    writer.close();
    expect(lines(path).map((l) => JSON.parse(l))).toEqual(seen);
  });

  it('writes what it holds at durable() (a live model reply) and once 64 KB are waiting', async () => {
    const path = join(dir, 'durable.jsonl');
    const writer = new TrajectoryWriter(path, [], 0, { byStep: true });
    writer.write({ type: 'node_enter', node: 'coder', step: 1 });
    await writer.durable();
    expect(lines(path)).toHaveLength(1);
    const big = 'y'.repeat(40 * 1024);
    writer.write({ type: 'note', message: big });
    expect(lines(path)).toHaveLength(1);
    writer.write({ type: 'note', message: big });
    expect(lines(path)).toHaveLength(3);
    writer.close();
  });

  it('leaves a readable trajectory, the same as one written event by event', () => {
    const write = (path: string, byStep: boolean) => {
      const writer = new TrajectoryWriter(path, ['sk-secret-99'], 0, { byStep });
      writer.write({
        type: 'header',
        schemaVersion: 1,
        refineryVersion: 't',
        runId: 'r',
        config: { key: 'sk-secret-99' },
        task: {},
      });
      for (let step = 1; step <= 3; step++) {
        writer.write({ type: 'node_enter', node: 'n', step });
        writer.write({ type: 'node_exit', node: 'n', step, update: null, durationMs: 0 });
        writer.write({ type: 'budget', totals });
      }
      writer.close();
      return readTrajectory(path).events.map(({ at: _at, ...event }) => event);
    };
    const byStep = write(join(dir, 'a.jsonl'), true);
    expect(byStep).toEqual(write(join(dir, 'b.jsonl'), false));
    expect(byStep).toHaveLength(10);
    expect(JSON.stringify(byStep)).not.toContain('sk-secret-99');
  });
});

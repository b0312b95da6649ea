import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import type { TrajectoryEventInput } from '../../src/trajectory/trajectory-events.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';
import { REPO_ROOT } from '../support/loopback-model.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// Trajectories in PostgreSQL: written in seq order through the writer's sink, read back as the very events the
// JSONL reader gives for the same run written to a file; runs listed with their status; a writer killed with
// SIGKILL mid-burst leaves a valid prefix (seq 0..k, header first) that a resume plans from.
let db: FreshDatabase | undefined;
let store: RunStore;
const scratch = mkdtempSync(join(tmpdir(), 'refinery-store-trajectories-'));
beforeAll(async () => {
  db = await freshDatabase();
  if (db) store = await openStore(db.url);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await db?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

const SECRET = 'sk-store-secret-0123456789';

/** A small run: header, a node with a model call holding a secret, a note, and (when `final`) the final event. */
function events(runId: string, final: boolean): TrajectoryEventInput[] {
  const request = {
    provider: 'openai',
    model: 'm',
    agent: 'coder',
    params: { temperature: 0 },
    messages: [{ role: 'user' as const, content: `key ${SECRET} and ünïcødé ✓` }],
  };
  const reply = {
    texts: ['done\nwith "quotes"'],
    finishReasons: ['stop'],
    usage: { inputTokens: 3, outputTokens: 2 },
    costUsd: 0,
    attempts: 1,
    latencyMs: 1,
    model: 'm',
  };
  return [
    { type: 'header', schemaVersion: 1, refineryVersion: '0.0.0', runId, config: { graph: 'x' }, task: { id: 't' } },
    { type: 'node_enter', node: 'coder', step: 1 },
    { type: 'model_call', node: 'coder', call: 0, request, reply },
    { type: 'note', node: 'coder', message: 'a note', data: { n: 1 } },
    { type: 'node_exit', node: 'coder', step: 1, update: { done: true }, durationMs: 5 },
    ...(final
      ? [
          {
            type: 'final',
            status: 'passed',
            exitCode: 0,
            result: { ok: true },
            totals: { iterations: 1, modelCalls: 1, inputTokens: 3, outputTokens: 2, costUsd: 0, wallMs: 9 },
          } as TrajectoryEventInput,
        ]
      : []),
  ];
}

describe('trajectories in the PostgreSQL store', () => {
  it('reads back the events the JSONL reader gives for the same run, secrets redacted', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const file = join(scratch, 'same.jsonl');
    const toFile = new TrajectoryWriter(file, [SECRET]);
    const toStore = new TrajectoryWriter(store.trajectoryTarget('same'), [SECRET]);
    for (const input of events('same', true)) {
      toFile.write(input);
      toStore.write(input);
    }
    toFile.close();
    await toStore.closeDurably();
    expect(toStore.path).toBe(`${store.label} run same`);
    const fromFile = readTrajectory(file).events;
    const fromStore = (await store.readTrajectory('same'))!;
    const withoutTimes = (list: typeof fromFile) => list.map(({ at: _at, ...rest }) => rest);
    expect(withoutTimes(fromStore.events)).toEqual(withoutTimes(fromFile));
    expect(fromStore.events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(JSON.stringify(fromStore.events)).not.toContain(SECRET);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    expect(fromStore.truncated).toBe(false);
    expect(await store.readTrajectory('no-such-run')).toBeUndefined();
  });

  it('lists runs with their event counts and status; runState tells a worker what to do', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const unfinished = new TrajectoryWriter(store.trajectoryTarget('listed-unfinished'));
    for (const input of events('listed-unfinished', false)) unfinished.write(input);
    await unfinished.closeDurably();
    const runs = await store.listRuns();
    expect(runs.find((r) => r.runId === 'same')).toMatchObject({ events: 6, status: 'passed' });
    expect(runs.find((r) => r.runId === 'listed-unfinished')).toMatchObject({ events: 5, status: undefined });
    expect(await store.runState('same')).toBe('passed');
    expect(await store.runState('listed-unfinished')).toBe('unfinished');
    expect(await store.runState('nothing')).toBe('none');
  });

  it('a writer killed with SIGKILL mid-burst leaves a valid prefix a resume continues after', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(REPO_ROOT, 'test/store/store-writer-child.ts'), db.url, 'killed'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // Kill it once it has stored a few hundred events (and is writing more).
      for (;;) {
        const { rows } = await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM refinery_trajectory_events WHERE run_id = 'killed'",
        );
        if ((rows[0]?.n ?? 0) >= 300 || child.exitCode !== null) break;
        await new Promise((done) => setTimeout(done, 20));
      }
    } finally {
      await client.end();
    }
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    // The killed writer's last statement may still run in its server backend (PostgreSQL notices the closed socket
    // only after it): the prefix is read once no other backend of this database is busy.
    await untilNoOtherBackendBusy(db.url);
    const trajectory = (await store.readTrajectory('killed'))!;
    const seqs = trajectory.events.map((e) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(300);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(trajectory.events[0]!.type).toBe('header');
    expect(await store.runState('killed')).toBe('unfinished');
    // A resumed run appends after the prefix: the stored trajectory stays whole.
    const resumed = new TrajectoryWriter(store.trajectoryTarget('killed'), [], seqs.length);
    resumed.write({ type: 'note', node: 'resume', message: 'continued' });
    await resumed.closeDurably();
    const after = (await store.readTrajectory('killed'))!.events;
    expect(after.map((e) => e.seq)).toEqual([...seqs, seqs.length]);
    expect(await store.runState('killed')).toBe('unfinished');
  });
});

describe('a run id used twice in the store', () => {
  it('is refused when its events differ (durable() rejects naming the run), not mixed in', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const again = new TrajectoryWriter(store.trajectoryTarget('same'));
    again.write({ type: 'header', schemaVersion: 1, refineryVersion: '9.9.9', runId: 'same', config: {}, task: {} });
    await expect(again.durable()).rejects.toThrow(/already holds a different event 0 of run same/);
    expect((await store.readTrajectory('same'))!.header.refineryVersion).toBe('0.0.0');
  });
});

/** Waits until no backend of the database but this query's own is running a statement. */
async function untilNoOtherBackendBusy(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
      );
      if ((rows[0]?.n ?? 0) === 0) return;
      await new Promise((done) => setTimeout(done, 20));
    }
  } finally {
    await client.end();
  }
}

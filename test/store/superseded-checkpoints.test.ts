import { describe, expect, it } from 'vitest';
import type { CheckpointRows, WriteRow } from '../../src/store/postgres-run-rows.ts';
import { withoutSuperseded } from '../../src/store/superseded-checkpoints.ts';

// What a run stores of the checkpoints saved between two of its statements: the latest, the blobs of the channel
// versions it points at (whichever checkpoint brought them), and the writes pending on it; everything when a
// subgraph namespace or a delta channel needs the checkpoints in between.
const bytes = (text: string) => new TextEncoder().encode(text);

function checkpoint(id: string, versions: Record<string, number>, changed: string[], ns = ''): CheckpointRows {
  return {
    ns,
    id,
    parentId: undefined,
    checkpoint: { v: 4, id, ts: '', channel_versions: versions, versions_seen: {} },
    metadata: { source: 'loop', step: 1 },
    blobs: changed.map((channel) => ({
      channel,
      version: String(versions[channel]),
      type: 'json',
      blob: bytes(`${channel}@${versions[channel]}`),
    })),
  };
}

function write(checkpointId: string, taskId: string, ns = ''): WriteRow {
  return { ns, checkpointId, taskId, idx: 0, channel: 'visited', type: 'json', blob: bytes(taskId), upsert: false };
}

describe('withoutSuperseded', () => {
  it('keeps the latest checkpoint, the blob versions it points at and the writes pending on it', () => {
    const c1 = checkpoint('c1', { a: 1, b: 1 }, ['a', 'b']);
    const c2 = checkpoint('c2', { a: 2, b: 1 }, ['a']);
    const c3 = checkpoint('c3', { a: 2, b: 1, c: 1 }, ['c']);
    const { checkpoints, writes } = withoutSuperseded(
      [c1, c2, c3],
      [write('c0', 't0'), write('c1', 't1'), write('c2', 't2'), write('c3', 't3')],
    );
    expect(checkpoints.map((c) => c.id)).toEqual(['c3']);
    expect(checkpoints[0]!.checkpoint).toBe(c3.checkpoint);
    // a@1 was superseded by a@2 (brought by c2); b@1 (from c1) and c@1 (from c3) are still current.
    expect(checkpoints[0]!.blobs.map((b) => `${b.channel}@${b.version}`).sort()).toEqual(['a@2', 'b@1', 'c@1']);
    expect(writes.map((w) => w.taskId)).toEqual(['t3']);
  });

  it('leaves a statement without checkpoints as it is', () => {
    const rows = [write('c0', 't0'), write('c1', 't1')];
    expect(withoutSuperseded([], rows)).toEqual({ checkpoints: [], writes: rows });
  });

  it('keeps every checkpoint of a subgraph namespace, and with delta channels', () => {
    const inSubgraph = [checkpoint('c1', { a: 1 }, ['a'], 'child:1'), checkpoint('c2', { a: 2 }, ['a'], 'child:1')];
    expect(withoutSuperseded(inSubgraph, []).checkpoints).toHaveLength(2);
    const delta = [checkpoint('c1', { a: 1 }, ['a']), checkpoint('c2', { a: 2 }, ['a'])];
    delta[1]!.metadata = { source: 'loop', step: 2, counters_since_delta_snapshot: { a: [1, 1] } };
    const kept = withoutSuperseded(delta, [write('c1', 't1')]);
    expect(kept.checkpoints).toHaveLength(2);
    expect(kept.writes).toHaveLength(1);
  });
});

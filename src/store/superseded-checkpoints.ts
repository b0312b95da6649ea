import type { CheckpointRows, WriteRow } from './postgres-run-rows.ts';

/**
 * The rows of a run's checkpoints saved since its last statement that a resume can still need: the latest
 * checkpoint, the blobs of the channel versions it points at, and the task writes pending on it. A Refinery run is
 * resumed from its latest checkpoint only (and a run that ends deletes them all), so the checkpoints in between,
 * their superseded blobs and the writes pending on them are not stored (LangGraph's history of the thread is not
 * kept beyond what a resume reads).
 *
 * Everything is kept when it could matter: checkpoints in a subgraph namespace, or a graph with delta channels
 * (their state is rebuilt from the writes of the checkpoints in between: `counters_since_delta_snapshot`).
 */
export function withoutSuperseded(
  checkpoints: CheckpointRows[],
  writes: WriteRow[],
): { checkpoints: CheckpointRows[]; writes: WriteRow[] } {
  const latest = checkpoints.at(-1);
  if (latest === undefined || checkpoints.some(keepsHistory) || writes.some((w) => w.ns !== '')) {
    return { checkpoints, writes };
  }
  const versions = (latest.checkpoint as { channel_versions?: Record<string, unknown> }).channel_versions ?? {};
  const blobs = new Map<string, CheckpointRows['blobs'][number]>();
  for (const checkpoint of checkpoints)
    for (const blob of checkpoint.blobs)
      if (String(versions[blob.channel]) === blob.version) blobs.set(`${blob.channel}\0${blob.version}`, blob);
  return {
    checkpoints: [{ ...latest, blobs: [...blobs.values()] }],
    writes: writes.filter((w) => w.checkpointId === latest.id),
  };
}

function keepsHistory(checkpoint: CheckpointRows): boolean {
  const metadata = checkpoint.metadata as Record<string, unknown> | null | undefined;
  return checkpoint.ns !== '' || (metadata != null && 'counters_since_delta_snapshot' in metadata);
}

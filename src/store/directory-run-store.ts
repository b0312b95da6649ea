import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkpointPathFor, openRunCheckpointer } from '../runtime/run-checkpointer.ts';
import { readTrajectory } from '../trajectory/trajectory-reader.ts';
import type { RunStore, StoredRun } from './run-store.ts';

/**
 * A directory as a run store: today's files, `<dir>/<run>.jsonl` and `<dir>/<run>.checkpoints.sqlite` (a
 * directory shared by the workers' machines, e.g. NFS). No shared execution cache beyond each process's own.
 */
export function openDirectoryStore(dir: string): RunStore {
  const root = resolve(dir);
  const pathOf = (runId: string) => join(root, `${runId}.jsonl`);
  const read = async (runId: string) => (existsSync(pathOf(runId)) ? readTrajectory(pathOf(runId)) : undefined);
  return {
    kind: 'directory',
    label: root,
    trajectoryTarget: pathOf,
    readTrajectory: read,
    async listRuns() {
      const files = existsSync(root) ? readdirSync(root).filter((f) => f.endsWith('.jsonl')) : [];
      const runs: StoredRun[] = [];
      for (const file of files) {
        const path = join(root, file);
        try {
          const { events } = readTrajectory(path);
          const last = events.at(-1)!;
          runs.push({
            runId: file.replace(/\.jsonl$/, ''),
            startedAt: events[0]?.at ?? statSync(path).mtime.toISOString(),
            events: events.length,
            status: last.type === 'final' ? last.status : undefined,
          });
        } catch {
          // not a trajectory
        }
      }
      return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
    },
    openCheckpointer: (runId, mark, durable) => openRunCheckpointer(checkpointPathFor(pathOf(runId)), mark, durable),
    async finalEvent(runId) {
      const last = (await read(runId))?.events.at(-1);
      return last?.type === 'final' ? last : undefined;
    },
    async runState(runId) {
      const trajectory = await read(runId);
      const last = trajectory?.events.at(-1);
      if (!last) return 'none';
      return last.type === 'final' && last.status !== 'cancelled' ? last.status : 'unfinished';
    },
    resultBackend: undefined,
    async close() {},
  };
}

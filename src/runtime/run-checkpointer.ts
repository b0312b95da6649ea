import { rmSync } from 'node:fs';
import type { BaseCheckpointSaver, CheckpointTuple } from '@langchain/langgraph';
import type { BudgetTotals } from '../trajectory/trajectory-events.ts';

/**
 * Where the run stood when LangGraph saved a checkpoint: the trajectory's next seq, the budget totals, the node
 * steps started and the model calls made. Stored in the checkpoint's metadata, so a resume knows which events
 * came after the checkpoint (the nodes that run again) and restores the counters to that point.
 */
export interface CheckpointMark {
  seq: number;
  totals: BudgetTotals;
  nodeSteps: number;
  modelCalls: number;
}

/** The latest checkpoint of a run, as a resume needs it. */
export interface SavedCheckpoint {
  /** LangGraph's step of the checkpoint (-1: the input, before any node). */
  step: number;
  mark: CheckpointMark | undefined;
  /** The state's channel values at the checkpoint (the last state, should the graph have nothing left to run). */
  values: Record<string, unknown>;
}

/**
 * The checkpoints of one run, whatever holds them: the SQLite file beside the trajectory ({@link openRunCheckpointer})
 * or PostgreSQL (src/store/). Each checkpoint carries the run's {@link CheckpointMark}.
 */
export interface RunCheckpointer {
  /** Where the checkpoints are (a file, or the store and thread), for messages. */
  path: string;
  saver: BaseCheckpointSaver;
  latest(threadId: string): Promise<SavedCheckpoint | undefined>;
  /** Lets go of the checkpoints, keeping them (a cancelled run, resumed later). */
  close(): Promise<void>;
  /**
   * Deletes the run's checkpoints (a run that ended) and lets go of them, once the trajectory events written so far
   * are durable (a store sends the deletion with the last of them).
   */
  remove(): Promise<void>;
}

const MARK_KEY = 'refinery';

/** The checkpoint file beside a trajectory: `runs/<id>.jsonl` → `runs/<id>.checkpoints.sqlite`. */
export function checkpointPathFor(trajectoryPath: string): string {
  return `${trajectoryPath.replace(/\.jsonl$/, '')}.checkpoints.sqlite`;
}

/**
 * A LangGraph SQLite checkpointer for one run (`@langchain/langgraph-checkpoint-sqlite`, loaded on first use so a
 * command that runs nothing does not load better-sqlite3). Every checkpoint carries the run's {@link CheckpointMark},
 * taken when LangGraph saves it (after a step's nodes returned, before the next step starts).
 */
export async function openRunCheckpointer(
  path: string,
  mark: () => CheckpointMark,
  /** Resolves once the run's trajectory events written so far are stored (waited for before `remove`). */
  durable: () => Promise<void> = async () => {},
): Promise<RunCheckpointer> {
  const { SqliteSaver } = await import('@langchain/langgraph-checkpoint-sqlite');
  const saver = SqliteSaver.fromConnString(path);
  markCheckpoints(saver, () => mark());
  // WAL (the saver's own setting) with NORMAL sync survives a killed process; only an OS crash may lose the last step.
  saver.db.pragma('synchronous = NORMAL');
  let open = true;
  const close = () => {
    if (open) saver.db.close();
    open = false;
  };
  return {
    path,
    saver,
    async latest(threadId) {
      return savedCheckpointOf(await saver.getTuple({ configurable: { thread_id: threadId } }));
    },
    async close() {
      close();
    },
    async remove() {
      await durable();
      close();
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
    },
  };
}

/**
 * Makes `saver` store a {@link CheckpointMark} in each checkpoint's metadata: `markFor(threadId)` (undefined: none).
 * `before` runs first (e.g. waits until the trajectory events up to the mark are durable).
 */
export function markCheckpoints(
  saver: BaseCheckpointSaver,
  markFor: (threadId: string) => CheckpointMark | undefined,
  before?: (threadId: string) => Promise<void>,
): void {
  const put = saver.put.bind(saver);
  saver.put = async (config, checkpoint, metadata, newVersions) => {
    const threadId = String(config.configurable?.['thread_id'] ?? '');
    if (before) await before(threadId);
    const mark = markFor(threadId);
    return put(
      config,
      checkpoint,
      (mark ? { ...metadata, [MARK_KEY]: mark } : metadata) as typeof metadata,
      newVersions,
    );
  };
}

/** A saver's latest checkpoint tuple of a thread as a resume needs it (state values without LangGraph's own channels). */
export function savedCheckpointOf(tuple: CheckpointTuple | undefined): SavedCheckpoint | undefined {
  if (!tuple) return undefined;
  const metadata = (tuple.metadata ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [channel, value] of Object.entries(tuple.checkpoint.channel_values))
    if (!channel.startsWith('__') && !channel.includes(':')) values[channel] = value;
  return {
    step: typeof metadata['step'] === 'number' ? metadata['step'] : -1,
    mark: metadata[MARK_KEY] as CheckpointMark | undefined,
    values,
  };
}

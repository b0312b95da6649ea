import type { RunnableConfig } from '@langchain/core/runnables';
import type { Checkpoint, CheckpointMetadata, CheckpointTuple } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import { withReconnect } from './postgres-connection.ts';
import type { PostgresRunWrites } from './postgres-run-writes.ts';
import { CHECKPOINT_SCHEMA } from './postgres-schema.ts';

type ChannelVersions = Parameters<PostgresSaver['put']>[3];
type PendingWrite = Parameters<PostgresSaver['putWrites']>[1][number];
type CheckpointListOptions = NonNullable<Parameters<PostgresSaver['list']>[1]>;

/** The threads' pending writes: `of` gives (or opens) a thread's, `settle` waits for one thread's or all. */
export interface RunWritesRegistry {
  of(threadId: string): PostgresRunWrites;
  settle(threadId?: string): Promise<void>;
  /** True when the thread is known to hold no checkpoint yet (nothing to read). */
  isFresh?(threadId: string): boolean;
}

/**
 * LangGraph's PostgresSaver (same tables, same rows, same reads) whose writes go through each thread's
 * {@link PostgresRunWrites}: `put` sends a checkpoint, its blobs, the pending writes and the run's trajectory events
 * in one statement instead of a transaction of one INSERT per row, and `putWrites` waits for the next statement
 * (the step's checkpoint, or on its own once the event loop is free). Reads and deletes first wait for the
 * thread's pending writes, so a caller always reads what it wrote.
 */
export class BatchingPostgresSaver extends PostgresSaver {
  constructor(
    pool: pg.Pool,
    private readonly writes: RunWritesRegistry,
  ) {
    super(pool, undefined, { schema: CHECKPOINT_SCHEMA });
    this.deletePool = pool;
  }

  private readonly deletePool: pg.Pool;

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error(`Missing "configurable" field in "config" param`);
    const { thread_id, checkpoint_ns = '', checkpoint_id } = config.configurable;
    const threadId = requiredThread(config);
    const [blobs, serializedMetadata] = await Promise.all([
      this._dumpBlobs(threadId, checkpoint_ns, checkpoint.channel_values, newVersions),
      this._dumpMetadata(metadata),
    ]);
    await this.writes.of(threadId).put({
      ns: checkpoint_ns,
      id: checkpoint.id,
      parentId: checkpoint_id,
      checkpoint: this._dumpCheckpoint(checkpoint),
      metadata: serializedMetadata,
      blobs: blobs.map(([, , channel, version, type, blob]) => ({ channel, version, type, blob })),
    });
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const threadId = requiredThread(config);
    const ns = config.configurable?.['checkpoint_ns'] ?? '';
    const checkpointId = config.configurable?.['checkpoint_id'];
    const dumped = await this._dumpWrites(threadId, ns, checkpointId, taskId, writes);
    // The saver upserts when every write is on one of LangGraph's special channels (their idx is negative).
    const upsert = dumped.every(([, , , , idx]) => idx < 0);
    await this.writes.of(threadId).addWrites(
      dumped.map(([, rowNs, rowCheckpointId, rowTaskId, idx, channel, type, blob]) => ({
        ns: rowNs,
        checkpointId: rowCheckpointId,
        taskId: rowTaskId,
        idx,
        channel,
        type,
        blob,
        upsert,
      })),
    );
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = threadOf(config);
    // A new run's first read (LangGraph looks for the thread's latest checkpoint before its first step).
    if (threadId !== undefined && this.writes.isFresh?.(threadId)) return undefined;
    await this.writes.settle(threadId);
    return super.getTuple(config);
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    await this.writes.settle(threadOf(config));
    yield* super.list(config, options);
  }

  /** The thread's checkpoints, blobs and writes, in one statement. */
  override async deleteThread(threadId: string): Promise<void> {
    await this.writes.settle(threadId);
    // A named statement: each connection parses and plans it once.
    await this.deletePool.query({
      name: 'refinery_delete_thread',
      text: `WITH b AS (DELETE FROM "${CHECKPOINT_SCHEMA}".checkpoint_blobs WHERE thread_id = $1),
            c AS (DELETE FROM "${CHECKPOINT_SCHEMA}".checkpoints WHERE thread_id = $1)
       DELETE FROM "${CHECKPOINT_SCHEMA}".checkpoint_writes WHERE thread_id = $1`,
      values: [threadId],
    });
  }

  /** Reads and deletes sent again when the server went away (the writes retry their own statements). */
  withReconnects(): this {
    const getTuple = this.getTuple.bind(this);
    const deleteThread = this.deleteThread.bind(this);
    this.getTuple = (config) => withReconnect(() => getTuple(config));
    this.deleteThread = (threadId) => withReconnect(() => deleteThread(threadId));
    return this;
  }
}

/** The thread a write is for (the saver's NOT NULL thread_id: a config without one is refused). */
function requiredThread(config: RunnableConfig): string {
  const thread = threadOf(config);
  if (thread === undefined) throw new Error('Missing "thread_id" field in "config.configurable" param');
  return thread;
}

function threadOf(config: RunnableConfig | undefined): string | undefined {
  const thread = config?.configurable?.['thread_id'];
  return thread === undefined || thread === null ? undefined : String(thread);
}

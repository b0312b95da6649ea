import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import {
  type CheckpointMark,
  markCheckpoints,
  type RunCheckpointer,
  savedCheckpointOf,
} from '../runtime/run-checkpointer.ts';
import { withReconnect } from './postgres-connection.ts';
import { CHECKPOINT_SCHEMA } from './postgres-schema.ts';

interface OpenRun {
  mark: () => CheckpointMark;
  durable: () => Promise<void>;
}

/**
 * LangGraph checkpoints in PostgreSQL (`@langchain/langgraph-checkpoint-postgres`, tables in the schema
 * `refinery_langgraph`): one saver for every run of the process, one thread per run (the run id). Each
 * checkpoint carries its run's {@link CheckpointMark}, saved only once the trajectory events before the mark are
 * durable, so a resume never finds a mark past the stored events. Calls the server dropped are sent again.
 */
export class PostgresCheckpoints {
  readonly saver: PostgresSaver;
  private readonly runs = new Map<string, OpenRun>();

  constructor(
    pool: pg.Pool,
    private readonly label: string,
  ) {
    this.saver = new PostgresSaver(pool, undefined, { schema: CHECKPOINT_SCHEMA });
    const saver = this.saver;
    const getTuple = saver.getTuple.bind(saver);
    const put = saver.put.bind(saver);
    const putWrites = saver.putWrites.bind(saver);
    const deleteThread = saver.deleteThread.bind(saver);
    saver.getTuple = (config) => withReconnect(() => getTuple(config));
    saver.put = (config, checkpoint, metadata, versions) =>
      withReconnect(() => put(config, checkpoint, metadata, versions));
    saver.putWrites = (config, writes, taskId) => withReconnect(() => putWrites(config, writes, taskId));
    saver.deleteThread = (threadId) => withReconnect(() => deleteThread(threadId));
    markCheckpoints(
      saver,
      (threadId) => this.runs.get(threadId)?.mark(),
      async (threadId) => this.runs.get(threadId)?.durable(),
    );
  }

  /** Creates LangGraph's tables (its migrations); called once per store under the schema lock. */
  setup(): Promise<void> {
    return this.saver.setup();
  }

  /** The checkpoints of run `runId` (its thread). */
  open(runId: string, mark: () => CheckpointMark, durable: () => Promise<void> = async () => {}): RunCheckpointer {
    this.runs.set(runId, { mark, durable });
    const saver = this.saver;
    return {
      path: `${this.label} thread ${runId}`,
      saver,
      latest: async (threadId) => savedCheckpointOf(await saver.getTuple({ configurable: { thread_id: threadId } })),
      close: async () => {
        this.runs.delete(runId);
      },
      remove: async () => {
        this.runs.delete(runId);
        await saver.deleteThread(runId);
      },
    };
  }

  /** True when the store holds a checkpoint of `runId`. */
  async has(runId: string): Promise<boolean> {
    return (await this.saver.getTuple({ configurable: { thread_id: runId } })) !== undefined;
  }
}

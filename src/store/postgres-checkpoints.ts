import type pg from 'pg';
import {
  type CheckpointMark,
  markCheckpoints,
  type RunCheckpointer,
  savedCheckpointOf,
} from '../runtime/run-checkpointer.ts';
import { BatchingPostgresSaver, type RunWritesRegistry } from './postgres-batching-saver.ts';
import { PostgresRunWrites } from './postgres-run-writes.ts';

interface OpenRun {
  mark: () => CheckpointMark;
  durable: () => Promise<void>;
}

/**
 * LangGraph checkpoints in PostgreSQL (`@langchain/langgraph-checkpoint-postgres`'s tables in the schema
 * `refinery_langgraph`, written by {@link BatchingPostgresSaver}): one saver for every run of the process, one
 * thread per run (the run id). Each checkpoint carries its run's {@link CheckpointMark}. A run whose trajectory
 * goes to this store ({@link hold}) shares one {@link PostgresRunWrites} between its trajectory and its thread, so
 * each checkpoint is stored in the same statement as the events before its mark; any other run's events are made
 * durable (`durable`) before its checkpoint is saved. Calls the server dropped are sent again.
 */
export class PostgresCheckpoints implements RunWritesRegistry {
  readonly saver: BatchingPostgresSaver;
  private readonly runs = new Map<string, OpenRun>();
  private readonly threads = new Map<string, { writes: PostgresRunWrites; holds: number }>();
  /** Threads known to hold no checkpoint (their run has no events yet) and not written since. */
  private readonly fresh = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly label: string,
    /** How long a thread's rows nobody waits for wait for the next ones (the writes' default unless given). */
    private readonly lingerMs?: number,
  ) {
    this.saver = new BatchingPostgresSaver(pool, this).withReconnects();
    markCheckpoints(
      this.saver,
      (threadId) => this.runs.get(threadId)?.mark(),
      async (threadId) => {
        // A held thread's put carries its events; another run's sink makes its own durable first.
        if ((this.threads.get(threadId)?.holds ?? 0) === 0) await this.runs.get(threadId)?.durable();
      },
    );
  }

  /** Creates LangGraph's tables (its migrations); called once per store under the schema lock. */
  setup(): Promise<void> {
    return this.saver.setup();
  }

  /**
   * `fresh`: run `threadId` has no stored events, hence no checkpoints (the header goes with the first one): until
   * it is written, a read of its latest checkpoint answers none without a query (a new run's first read).
   */
  markFresh(threadId: string, fresh: boolean): void {
    if (!fresh) {
      this.fresh.delete(threadId);
      return;
    }
    if (this.fresh.size >= 1000) this.fresh.clear();
    this.fresh.add(threadId);
  }

  isFresh(threadId: string): boolean {
    return this.fresh.has(threadId);
  }

  /** The pending writes of a thread for the saver's writes (from now on the thread is not fresh). */
  of(threadId: string): PostgresRunWrites {
    this.fresh.delete(threadId);
    return this.writesOf(threadId);
  }

  /** The pending writes of a thread (opened on first use, dropped when idle and not held). */
  private writesOf(threadId: string): PostgresRunWrites {
    let thread = this.threads.get(threadId);
    if (!thread) {
      const writes = new PostgresRunWrites(
        this.pool,
        threadId,
        `${this.label} run ${threadId}`,
        (idle) => {
          const current = this.threads.get(threadId);
          if (current?.writes === idle && current.holds === 0) this.threads.delete(threadId);
        },
        this.lingerMs,
      );
      thread = { writes, holds: 0 };
      this.threads.set(threadId, thread);
    }
    return thread.writes;
  }

  /** Keeps a run's writes open (its trajectory sink) until `release`. */
  hold(runId: string): PostgresRunWrites {
    const writes = this.writesOf(runId);
    this.threads.get(runId)!.holds++;
    // The run's model replies and its end store everything queued: its checkpoints need not be waited for.
    writes.ackQueued = true;
    return writes;
  }

  release(runId: string): void {
    const thread = this.threads.get(runId);
    if (!thread) return;
    thread.holds = Math.max(0, thread.holds - 1);
    if (thread.holds > 0) return;
    thread.writes.ackQueued = false;
    if (!thread.writes.busy()) this.threads.delete(runId);
  }

  /** Waits for a thread's pending checkpoints and writes (every thread's without one); a failed one rejects. */
  async settle(threadId?: string): Promise<void> {
    if (threadId !== undefined) {
      await this.threads.get(threadId)?.writes.settleCheckpoints();
      return;
    }
    await Promise.all([...this.threads.values()].map((thread) => thread.writes.settleCheckpoints()));
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
        this.fresh.delete(runId);
      },
      remove: async () => {
        this.runs.delete(runId);
        this.fresh.delete(runId);
        const thread = this.threads.get(runId);
        // A held thread: the deletion goes with the run's last events (its final event), in one statement.
        if (thread && thread.holds > 0) return thread.writes.removeThread();
        await durable();
        await saver.deleteThread(runId);
      },
    };
  }

  /** True when the store holds a checkpoint of `runId`. */
  async has(runId: string): Promise<boolean> {
    return (await this.saver.getTuple({ configurable: { thread_id: runId } })) !== undefined;
  }
}

import type pg from 'pg';
import { withReconnect } from './postgres-connection.ts';
import { CHECKPOINT_SCHEMA } from './postgres-schema.ts';
import { StoreError } from './store-error.ts';

/** A trajectory event waiting to be stored: its seq, type and redacted JSON line. */
export interface PendingEvent {
  seq: number;
  type: string;
  line: string;
}

/** A checkpoint as LangGraph's PostgresSaver stores it: its row and the blobs of the channels that changed. */
export interface CheckpointRows {
  ns: string;
  id: string;
  parentId: string | undefined;
  checkpoint: unknown;
  metadata: unknown;
  blobs: { channel: string; version: string; type: string; blob: Uint8Array | undefined }[];
}

/**
 * A pending write of a task, as PostgresSaver's putWrites stores it. `upsert`: LangGraph's special channels
 * (error, interrupt, resume…: negative idx) replace a stored row; any other write keeps the first one stored.
 */
export interface WriteRow {
  ns: string;
  checkpointId: string;
  taskId: string;
  idx: number;
  channel: string;
  type: string;
  blob: Uint8Array;
  upsert: boolean;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  /** Someone waits for it now (a flush): sent at once rather than after {@link LINGER_MS}. */
  urgent: boolean;
}

interface Batch {
  events: PendingEvent[];
  writes: WriteRow[];
  checkpoint: CheckpointRows | undefined;
  waiters: Waiter[];
}

const SCHEMA = `"${CHECKPOINT_SCHEMA}"`;
/**
 * How long rows nobody waits for yet (events, task writes) wait for the statement that follows (the step's
 * checkpoint, a model reply's flush) before going on their own: a run's header waits for its first checkpoint,
 * which comes after LangGraph's first read. What a killed worker may lose beyond what it lost before: events of
 * the last few ms, never a stored model reply, never a checkpoint's events.
 */
const LINGER_MS = 5;

/** Events sent in one statement at most (a burst goes in several, in order). */
const BATCH = 200;
const WRITE_COLUMNS = 'thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob';

/**
 * Everything one run (one LangGraph thread) has to store, sent in one statement — one round trip, one commit:
 * its trajectory events appended meanwhile, its tasks' pending writes and at most one checkpoint with its blobs.
 * A step of the graph thus costs one statement: the checkpoint LangGraph saves after the step carries the writes
 * of the step's tasks and the trajectory events of its nodes. What is not followed by a checkpoint is sent on its
 * own {@link LINGER_MS} later, or at once when a caller waits for it (`flush`: a model reply
 * stored before the run goes on, a read of the thread). Statements go one at a time, in order, so the stored
 * events are always a prefix of the run's and a checkpoint is never stored before the events its mark counts.
 * Every statement is safe to repeat (ON CONFLICT), so one the server dropped is sent again; the events are
 * checked against rows already there (a run id used twice is refused, and then nothing of the statement is
 * stored). After a failure nothing more is stored for the run: each later call rejects with it.
 */
export class PostgresRunWrites {
  private events: PendingEvent[] = [];
  private writes = new Map<string, WriteRow>();
  private checkpoints: { rows: CheckpointRows; waiter: Waiter }[] = [];
  private waiters: Waiter[] = [];
  private running: Promise<void> | undefined;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private failure: Error | undefined;
  /** Statements sent so far (each one round trip and one commit). */
  statements = 0;

  constructor(
    private readonly pool: pg.Pool,
    readonly threadId: string,
    readonly label: string,
    /** Called when nothing is pending or in flight any more. */
    private readonly onIdle: (writes: PostgresRunWrites) => void = () => {},
  ) {}

  /** Queues a trajectory event (events come in seq order); sent with the next statement. */
  addEvent(event: PendingEvent): void {
    if (this.failure) return;
    this.events.push(event);
    this.kick(false);
  }

  /** Queues a task's writes; resolves once they are stored. */
  addWrites(rows: readonly WriteRow[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (rows.length === 0) return Promise.resolve();
    for (const row of rows) {
      const key = `${row.ns}\0${row.checkpointId}\0${row.taskId}\0${row.idx}`;
      // The same key twice before a statement: an upsert replaces, an insert keeps what came first.
      if (row.upsert || !this.writes.has(key)) this.writes.set(key, row);
    }
    return this.wait(false);
  }

  /** Stores a checkpoint with everything queued before it; resolves once it is stored. */
  put(rows: CheckpointRows): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.checkpoints.push({ rows, waiter: { resolve, reject, urgent: true } });
      this.kick(true);
    });
  }

  /** Resolves once everything queued so far is stored (rejects with the failure that stopped the writes). */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending()) return this.wait(true);
    return (this.running ?? Promise.resolve()).then(() => {
      if (this.failure) throw this.failure;
    });
  }

  /**
   * Resolves once the thread's checkpoints and writes queued so far are stored (a read of the thread sees them);
   * trajectory events alone wait for the next statement.
   */
  settleCheckpoints(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.writes.size > 0 || this.checkpoints.length > 0) return this.wait(true);
    return (this.running ?? Promise.resolve()).then(() => {
      if (this.failure) throw this.failure;
    });
  }

  /** True while something is queued or in flight. */
  busy(): boolean {
    return this.pending() || this.running !== undefined;
  }

  private pending(): boolean {
    return this.events.length > 0 || this.writes.size > 0 || this.checkpoints.length > 0;
  }

  private wait(now: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject, urgent: now });
      this.kick(now);
    });
  }

  /** Starts sending: at once (`now`), or {@link LINGER_MS} later, so what comes meanwhile goes along. */
  private kick(now: boolean): void {
    if (this.running) return; // the running loop takes it next
    if (!now) {
      this.scheduled ??= setTimeout(() => {
        this.scheduled = undefined;
        this.kick(true);
      }, LINGER_MS);
      return;
    }
    if (this.scheduled) clearTimeout(this.scheduled);
    this.scheduled = undefined;
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.pending() && !this.failure) {
      const batch = this.take();
      try {
        await this.send(batch);
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)), batch.waiters);
      }
      // What came meanwhile goes at once when someone waits for it; else LINGER_MS later (LangGraph puts a step's
      // checkpoint only after the previous one is stored: the writes queued meanwhile go with it).
      if (!this.urgent()) break;
    }
    this.running = undefined;
    if (this.pending() && !this.failure) this.kick(false);
    else this.onIdle(this);
  }

  private urgent(): boolean {
    return this.checkpoints.length > 0 || this.waiters.some((waiter) => waiter.urgent);
  }

  private take(): Batch {
    const events = this.events.splice(0, BATCH);
    // A checkpoint goes with the last of the events before it, never ahead of them.
    const next = this.events.length === 0 ? this.checkpoints.shift() : undefined;
    const batch: Batch = {
      events,
      writes: [...this.writes.values()],
      checkpoint: next?.rows,
      // Waiters for everything queued so far: resolved once the last of it is stored.
      waiters: this.events.length === 0 ? [...this.waiters, ...(next ? [next.waiter] : [])] : [],
    };
    this.writes = new Map();
    if (this.events.length === 0) this.waiters = [];
    return batch;
  }

  /** Nothing more is stored for this run (the stored events stay a prefix); every waiter learns why. */
  private fail(error: Error, inFlight: Waiter[]): void {
    this.failure = error;
    const waiters = [...inFlight, ...this.waiters, ...this.checkpoints.map((c) => c.waiter)];
    this.events = [];
    this.writes = new Map();
    this.checkpoints = [];
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private async send(batch: Batch): Promise<void> {
    const { name, text, values } = this.statement(batch);
    this.statements++;
    // A named statement: each connection parses and plans it once.
    const { rows } = await withReconnect(() =>
      this.pool.query<{ events: number; clash: number | null }>({ name, text, values }),
    );
    const stored = rows[0]!;
    if (batch.events.length === 0) return;
    if (stored.clash !== null) throw this.clash(stored.clash);
    // Fewer rows than events: a statement sent again after its reply was lost, or another writer of the same
    // run id committed meanwhile (not visible to the clash check): compare with what is there now.
    if (stored.events < batch.events.length) await this.checkSameEvents(batch.events);
  }

  private clash(seq: number): StoreError {
    return new StoreError(
      this.label,
      `the store already holds a different event ${seq} of run ${this.threadId} (a run id used twice)`,
    );
  }

  private async checkSameEvents(events: PendingEvent[]): Promise<void> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ seq: number; line: string }>(
        'SELECT seq, line FROM refinery_trajectory_events WHERE run_id = $1 AND seq = ANY($2::int[])',
        [this.threadId, events.map((e) => e.seq)],
      ),
    );
    const stored = new Map(rows.map((row) => [row.seq, row.line]));
    const other = events.find((e) => stored.get(e.seq) !== e.line);
    if (other) throw this.clash(other.seq);
  }

  /** The statement's parameters, in the order {@link statementText} numbers them, and its shape. */
  private statement(batch: Batch): { name: string; text: string; values: unknown[] } {
    const values: unknown[] = [this.threadId];
    const shape: Shape = {
      events: batch.events.length > 0,
      checkpoint: false,
      blobs: false,
      upsert: false,
      insert: false,
    };
    if (shape.events) {
      const events = batch.events;
      // One JSON parameter (JSON.stringify is native; a text[] parameter escapes each line in JS).
      values.push(JSON.stringify(events));
    }
    const checkpoint = batch.checkpoint;
    if (checkpoint) {
      shape.checkpoint = true;
      values.push(checkpoint.ns);
      if (checkpoint.blobs.length > 0) {
        shape.blobs = true;
        const blobs = checkpoint.blobs;
        values.push(
          blobs.map((b) => b.channel),
          blobs.map((b) => b.version),
          blobs.map((b) => b.type),
          blobs.map((b) => b.blob ?? null),
        );
      }
      values.push(
        checkpoint.id,
        checkpoint.parentId ?? null,
        JSON.stringify(checkpoint.checkpoint),
        JSON.stringify(checkpoint.metadata),
      );
    }
    for (const upsert of [true, false]) {
      const rows = batch.writes.filter((w) => w.upsert === upsert);
      if (rows.length === 0) continue;
      shape[upsert ? 'upsert' : 'insert'] = true;
      values.push(
        rows.map((w) => w.ns),
        rows.map((w) => w.checkpointId),
        rows.map((w) => w.taskId),
        rows.map((w) => w.idx),
        rows.map((w) => w.channel),
        rows.map((w) => w.type),
        rows.map((w) => w.blob),
      );
    }
    const key = `${+shape.events}${+shape.checkpoint}${+shape.blobs}${+shape.upsert}${+shape.insert}`;
    let text = TEXTS.get(key);
    if (text === undefined) {
      text = statementText(shape);
      TEXTS.set(key, text);
    }
    return { name: `refinery_run_writes_${key}`, text, values };
  }
}

/** Which kinds of rows a statement carries (32 shapes at most: each one a prepared statement per connection). */
interface Shape {
  events: boolean;
  checkpoint: boolean;
  blobs: boolean;
  upsert: boolean;
  insert: boolean;
}

const TEXTS = new Map<string, string>();

/** The statement of a shape: a data-modifying CTE per kind of row present, all guarded by the clash check. */
function statementText(shape: Shape): string {
  let n = 0;
  const $ = () => `$${++n}`;
  const thread = `${$()}::text`;
  const ctes: string[] = [];
  let guard = '';
  let result = 'SELECT 0 AS events, NULL::int AS clash';
  if (shape.events) {
    ctes.push(`n AS (SELECT * FROM json_to_recordset(${$()}::json) AS n(seq int, type text, line text))`);
    // Rows there before this statement (its snapshot) with the same seq and another line.
    ctes.push(`clash AS (SELECT e.seq FROM refinery_trajectory_events e JOIN n ON e.seq = n.seq
      WHERE e.run_id = ${thread} AND e.line <> n.line ORDER BY e.seq LIMIT 1)`);
    guard = ' WHERE NOT EXISTS (SELECT 1 FROM clash)';
    ctes.push(`ev AS (INSERT INTO refinery_trajectory_events (run_id, seq, type, line)
      SELECT ${thread}, n.seq, n.type, n.line FROM n${guard}
      ON CONFLICT (run_id, seq) DO NOTHING RETURNING 1)`);
    result = 'SELECT (SELECT count(*) FROM ev)::int AS events, (SELECT seq FROM clash) AS clash';
  }
  if (shape.checkpoint) {
    const ns = `${$()}::text`;
    if (shape.blobs)
      ctes.push(`bl AS (INSERT INTO ${SCHEMA}.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
        SELECT ${thread}, ${ns}, r.* FROM unnest(${$()}::text[], ${$()}::text[], ${$()}::text[], ${$()}::bytea[]) AS r${guard}
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING)`);
    ctes.push(`cp AS (INSERT INTO ${SCHEMA}.checkpoints
        (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
      SELECT ${thread}, ${ns}, ${$()}::text, ${$()}::text, ${$()}::jsonb, ${$()}::jsonb${guard}
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
      DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata)`);
  }
  for (const upsert of [true, false]) {
    if (!(upsert ? shape.upsert : shape.insert)) continue;
    ctes.push(`${upsert ? 'wu' : 'wi'} AS (INSERT INTO ${SCHEMA}.checkpoint_writes (${WRITE_COLUMNS})
      SELECT ${thread}, r.* FROM unnest(${$()}::text[], ${$()}::text[], ${$()}::text[], ${$()}::int[], ${$()}::text[],
        ${$()}::text[], ${$()}::bytea[]) AS r${guard}
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${
        upsert ? 'DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob' : 'DO NOTHING'
      })`);
  }
  return `WITH ${ctes.join(',\n')}\n${result}`;
}

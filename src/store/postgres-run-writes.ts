import type pg from 'pg';
import { withReconnect } from './postgres-connection.ts';
import type { CheckpointRows, PendingEvent, WriteRow } from './postgres-run-rows.ts';
import { CHECKPOINT_SCHEMA } from './postgres-schema.ts';
import { StoreError } from './store-error.ts';
import { withoutSuperseded } from './superseded-checkpoints.ts';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  /** Someone waits for it now (a flush): sent at once rather than after {@link LINGER_MS}. */
  urgent: boolean;
}

interface Batch {
  events: PendingEvent[];
  writes: WriteRow[];
  checkpoints: CheckpointRows[];
  /** The thread's checkpoints, blobs and writes are deleted (the run ended), before this statement's rows. */
  removal: boolean;
  waiters: Waiter[];
}

const IGNORED: Waiter = { resolve: () => {}, reject: () => {}, urgent: false };

const SCHEMA = `"${CHECKPOINT_SCHEMA}"`;
/**
 * How long rows nobody waits for yet (events, a run's own checkpoints and task writes) wait for the statement that
 * follows (a model reply's flush, the run's end, a checkpoint someone waits for) before going on their own. What a
 * killed worker may lose by it: the rows of its last few ms (events, the latest checkpoint), never a stored model
 * reply; the stored rows stay a prefix in which no checkpoint is ahead of its events.
 */
const LINGER_MS = 5;

/** Events sent in one statement at most (a burst goes in several, in order). */
const BATCH = 200;
const WRITE_COLUMNS = 'thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob';

/**
 * Everything one run (one LangGraph thread) has to store, sent in one statement — one round trip, one commit:
 * its trajectory events appended meanwhile, its tasks' pending writes, the checkpoints saved meanwhile with their
 * blobs, and at the run's end the deletion of its checkpoints. Statements go one at a time, in order, so the stored
 * events are always a prefix of the run's and a checkpoint is never stored before the events its mark counts.
 *
 * When the statements go: at once when a caller waits for them (`flush`: a model reply stored before the run goes
 * on, the run's end, a read of the thread), otherwise {@link LINGER_MS} after the first row nobody waits for, with
 * whatever came meanwhile. A checkpoint is waited for (`put` resolves once it is stored, as LangGraph's savers do)
 * unless the run's own trajectory comes here too ({@link ackQueued}, set while a sink holds the writes): then `put`
 * resolves once the checkpoint is queued, and it is stored with the next statement, which the next model reply
 * or the run's end sends at once. Nothing is lost by it that a resume needs: a killed worker leaves a prefix of
 * events and the last checkpoint stored in it (a few ms older at most); the resume starts from that checkpoint
 * and answers the model calls after it from the stored events, and no model reply is ever left unstored when
 * the run goes on. For the same reason such a run's statement stores only the latest of the checkpoints saved
 * since the last one ({@link withoutSuperseded}).
 *
 * Every statement is safe to repeat (ON CONFLICT), so one the server dropped is sent again; the events are
 * checked against rows already there (a run id used twice is refused, and then nothing of the statement is
 * stored). After a failure nothing more is stored for the run: each later call rejects with it.
 */
export class PostgresRunWrites {
  private events: PendingEvent[] = [];
  private writes = new Map<string, WriteRow>();
  private checkpoints: { rows: CheckpointRows; waiter: Waiter }[] = [];
  private waiters: Waiter[] = [];
  /** The thread's deletion, queued after the events so far: waits for them, then goes with the last of them. */
  private removal: Waiter | undefined;
  private running: Promise<void> | undefined;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private failure: Error | undefined;
  /** Statements sent so far (each one round trip and one commit). */
  statements = 0;
  /**
   * `put` (once the run's first events are stored) and `addWrites` resolve once their rows are queued, not stored:
   * set while the run's trajectory sink holds these writes (its model replies and its end flush everything queued,
   * checkpoints included).
   */
  ackQueued = false;
  /**
   * A statement with events was stored, so they were checked against the rows there: until then `put` waits for
   * its storage even with {@link ackQueued}, so a run id used twice fails at the run's first checkpoint, before
   * any node runs (before any model request is sent).
   */
  private checked = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly threadId: string,
    readonly label: string,
    /** Called when nothing is pending or in flight any more. */
    private readonly onIdle: (writes: PostgresRunWrites) => void = () => {},
    /** How long rows nobody waits for wait for company ({@link LINGER_MS}; tests set it). */
    private readonly lingerMs = LINGER_MS,
  ) {}

  /** Queues a trajectory event (events come in seq order); sent with the next statement. */
  addEvent(event: PendingEvent): void {
    if (this.failure) return;
    this.events.push(event);
    this.kick(false);
  }

  /** Queues a task's writes; resolves once they are stored, or with {@link ackQueued} once they are queued. */
  addWrites(rows: readonly WriteRow[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (rows.length === 0) return Promise.resolve();
    for (const row of rows) {
      const key = `${row.ns}\0${row.checkpointId}\0${row.taskId}\0${row.idx}`;
      // The same key twice before a statement: an upsert replaces, an insert keeps what came first.
      if (row.upsert || !this.writes.has(key)) this.writes.set(key, row);
    }
    // (Before the run's first events are checked, too: the checkpoint after them is waited for, and they go with it.)
    if (!this.ackQueued) return this.wait(false);
    this.kick(false);
    return Promise.resolve();
  }

  /**
   * Queues a checkpoint after everything queued before it; resolves once it is stored, or with {@link ackQueued}
   * once it is queued.
   */
  put(rows: CheckpointRows): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ackQueued && this.checked) {
      this.checkpoints.push({ rows, waiter: IGNORED });
      this.kick(false);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.checkpoints.push({ rows, waiter: { resolve, reject, urgent: true } });
      this.kick(true);
    });
  }

  /**
   * Deletes the thread's checkpoints, blobs and writes (its run ended) once the events queued so far are stored, in
   * the statement that stores the last of them. The checkpoints and writes still queued are not sent (they would be
   * deleted with the rest); what is queued after this goes in the statement after it. Resolves once it is done.
   */
  removeThread(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // Whoever waits for the rows dropped here, or for the events before the deletion, is answered with it.
    const before = [...this.waiters, ...this.checkpoints.map((c) => c.waiter)];
    if (this.removal) before.push(this.removal);
    this.checkpoints = [];
    this.writes = new Map();
    this.waiters = [];
    return new Promise<void>((resolve, reject) => {
      this.removal = {
        resolve: () => {
          for (const waiter of before) waiter.resolve();
          resolve();
        },
        reject: (error) => {
          for (const waiter of before) waiter.reject(error);
          reject(error);
        },
        urgent: true,
      };
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
    if (this.writes.size > 0 || this.checkpoints.length > 0 || this.removal) return this.wait(true);
    return (this.running ?? Promise.resolve()).then(() => {
      if (this.failure) throw this.failure;
    });
  }

  /** True while something is queued or in flight. */
  busy(): boolean {
    return this.pending() || this.running !== undefined;
  }

  private pending(): boolean {
    return this.events.length > 0 || this.writes.size > 0 || this.checkpoints.length > 0 || this.removal !== undefined;
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
      }, this.lingerMs);
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
      // What came meanwhile goes at once when someone waits for it; else LINGER_MS later (with what comes then).
      if (!this.urgent()) break;
    }
    this.running = undefined;
    if (this.pending() && !this.failure) this.kick(false);
    else this.onIdle(this);
  }

  private urgent(): boolean {
    return (
      this.removal !== undefined ||
      this.checkpoints.some((c) => c.waiter.urgent) ||
      this.waiters.some((waiter) => waiter.urgent)
    );
  }

  private take(): Batch {
    const events = this.events.splice(0, BATCH);
    const last = this.events.length === 0;
    if (last && this.removal) {
      // The deletion goes with the last events queued before it. Rows queued after it go in the next statement
      // (a statement's deletion does not see the rows it inserts), with whoever waits for them.
      const removal = this.removal;
      this.removal = undefined;
      const later = this.writes.size > 0 || this.checkpoints.length > 0;
      const waiters = later ? [removal] : [removal, ...this.waiters];
      if (!later) this.waiters = [];
      return { events, writes: [], checkpoints: [], removal: true, waiters };
    }
    // Checkpoints go with the last of the events before them, never ahead of them.
    const checkpoints = last ? this.checkpoints.splice(0) : [];
    // Writes queued after a pending deletion wait until it is done.
    let rows = { checkpoints: checkpoints.map((c) => c.rows), writes: this.removal ? [] : [...this.writes.values()] };
    // A run's own thread: only what its resume can need of the checkpoints saved meanwhile.
    if (this.ackQueued) rows = withoutSuperseded(rows.checkpoints, rows.writes);
    const batch: Batch = {
      events,
      writes: rows.writes,
      checkpoints: rows.checkpoints,
      removal: false,
      // Waiters for everything queued so far: resolved once the last of it is stored.
      waiters: last ? [...this.waiters, ...checkpoints.map((c) => c.waiter)] : [],
    };
    if (!this.removal) this.writes = new Map();
    if (last) this.waiters = [];
    return batch;
  }

  /** Nothing more is stored for this run (the stored events stay a prefix); every waiter learns why. */
  private fail(error: Error, inFlight: Waiter[]): void {
    this.failure = error;
    const waiters = [
      ...inFlight,
      ...this.waiters,
      ...this.checkpoints.map((c) => c.waiter),
      ...(this.removal ? [this.removal] : []),
    ];
    this.events = [];
    this.writes = new Map();
    this.checkpoints = [];
    this.waiters = [];
    this.removal = undefined;
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
    this.checked = true;
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
      checkpoints: batch.checkpoints.length > 0,
      blobs: false,
      upsert: false,
      insert: false,
      removal: batch.removal,
    };
    // Rows as one JSON parameter where they are text (JSON.stringify is native; a text[] parameter escapes each
    // value in JS); bytea as arrays.
    if (shape.events) values.push(JSON.stringify(batch.events));
    if (shape.checkpoints) {
      const checkpoints = new Map<string, CheckpointRows>();
      const blobs = new Map<string, CheckpointRows['blobs'][number] & { ns: string }>();
      for (const checkpoint of batch.checkpoints) {
        // The same checkpoint saved twice: the last one (a statement's upsert may not touch a row twice).
        checkpoints.set(`${checkpoint.ns}\0${checkpoint.id}`, checkpoint);
        for (const blob of checkpoint.blobs) {
          const key = `${checkpoint.ns}\0${blob.channel}\0${blob.version}`;
          if (!blobs.has(key)) blobs.set(key, { ...blob, ns: checkpoint.ns });
        }
      }
      if (blobs.size > 0) {
        shape.blobs = true;
        const rows = [...blobs.values()];
        values.push(
          rows.map((b) => b.ns),
          rows.map((b) => b.channel),
          rows.map((b) => b.version),
          rows.map((b) => b.type),
          rows.map((b) => b.blob ?? null),
        );
      }
      values.push(
        JSON.stringify(
          [...checkpoints.values()].map((c) => ({
            ns: c.ns,
            id: c.id,
            parent: c.parentId ?? null,
            checkpoint: c.checkpoint,
            metadata: c.metadata,
          })),
        ),
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
    const key = `${+shape.events}${+shape.checkpoints}${+shape.blobs}${+shape.upsert}${+shape.insert}${+shape.removal}`;
    let text = TEXTS.get(key);
    if (text === undefined) {
      text = statementText(shape);
      TEXTS.set(key, text);
    }
    return { name: `refinery_run_writes_${key}`, text, values };
  }
}

/** Which kinds of rows a statement carries (64 shapes at most: each one a prepared statement per connection). */
interface Shape {
  events: boolean;
  checkpoints: boolean;
  blobs: boolean;
  upsert: boolean;
  insert: boolean;
  /** The thread's checkpoints, blobs and writes deleted (the statement's own inserts are not seen by it). */
  removal: boolean;
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
  if (shape.blobs)
    ctes.push(`bl AS (INSERT INTO ${SCHEMA}.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
      SELECT ${thread}, r.* FROM unnest(${$()}::text[], ${$()}::text[], ${$()}::text[], ${$()}::text[], ${$()}::bytea[]) AS r${guard}
      ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING)`);
  if (shape.checkpoints)
    ctes.push(`cp AS (INSERT INTO ${SCHEMA}.checkpoints
        (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
      SELECT ${thread}, c.ns, c.id, c.parent, c.checkpoint, c.metadata
      FROM json_to_recordset(${$()}::json) AS c(ns text, id text, parent text, checkpoint jsonb, metadata jsonb)${guard}
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
      DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata)`);
  for (const upsert of [true, false]) {
    if (!(upsert ? shape.upsert : shape.insert)) continue;
    ctes.push(`${upsert ? 'wu' : 'wi'} AS (INSERT INTO ${SCHEMA}.checkpoint_writes (${WRITE_COLUMNS})
      SELECT ${thread}, r.* FROM unnest(${$()}::text[], ${$()}::text[], ${$()}::text[], ${$()}::int[], ${$()}::text[],
        ${$()}::text[], ${$()}::bytea[]) AS r${guard}
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${
        upsert ? 'DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, blob = EXCLUDED.blob' : 'DO NOTHING'
      })`);
  }
  if (shape.removal) {
    const where = `WHERE thread_id = ${thread}${guard ? ' AND NOT EXISTS (SELECT 1 FROM clash)' : ''}`;
    ctes.push(`db AS (DELETE FROM ${SCHEMA}.checkpoint_blobs ${where})`);
    ctes.push(`dc AS (DELETE FROM ${SCHEMA}.checkpoints ${where})`);
    ctes.push(`dw AS (DELETE FROM ${SCHEMA}.checkpoint_writes ${where})`);
  }
  return ctes.length > 0 ? `WITH ${ctes.join(',\n')}\n${result}` : result;
}

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrajectoryEvent, TrajectoryEventInput } from './trajectory-events.ts';
import type { TrajectorySink } from './trajectory-sink.ts';

export type TrajectoryListener = (event: TrajectoryEvent) => void;

export interface TrajectoryWriterOptions {
  /**
   * Write a file's lines a node step at a time: the lines of a step's events go in one synchronous write at its
   * `budget` event (the last of a node step), when 64 KB are waiting, and at {@link TrajectoryWriter.flush},
   * {@link TrajectoryWriter.durable} and {@link TrajectoryWriter.close}, instead of one write(2) per event. A run
   * that nothing can resume (a replay keeps no checkpoints) loses at most its running step's events when killed;
   * listeners still get every event at once.
   */
  byStep?: boolean;
}

/** Lines waiting in a writer `byStep` before a write is due anyway. */
const PENDING_BYTES = 64 * 1024;

/**
 * Append-only JSONL. Each event is written with one synchronous write, so a killed run leaves a
 * readable prefix (with `byStep`, each node step's events). Secret values are replaced before anything reaches
 * the file or a listener.
 * Given a {@link TrajectorySink} instead of a path (a run store), the events go there, in seq order;
 * {@link durable} waits until they are stored.
 */
export class TrajectoryWriter {
  readonly path: string | null;
  private fd: number | null;
  private readonly sink: TrajectorySink | undefined;
  private seq = 0;
  private readonly listeners: TrajectoryListener[] = [];
  private readonly secrets: string[];
  private readonly byStep: boolean;
  private pending = '';

  constructor(
    target: string | null | TrajectorySink,
    secrets: string[] = [],
    /** The seq of the first event written: a resumed run appends after the events already in the file. */
    firstSeq = 0,
    options: TrajectoryWriterOptions = {},
  ) {
    this.seq = firstSeq;
    this.byStep = options.byStep ?? false;
    this.secrets = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    if (target !== null && typeof target === 'object') {
      this.sink = target;
      this.path = target.label;
      this.fd = null;
    } else if (target) {
      this.path = target;
      mkdirSync(dirname(target), { recursive: true });
      this.fd = openSync(target, 'a');
    } else {
      this.path = target;
      this.fd = null;
    }
  }

  /** The seq the next event gets. */
  get nextSeq(): number {
    return this.seq;
  }

  onEvent(listener: TrajectoryListener): void {
    this.listeners.push(listener);
  }

  write(input: TrajectoryEventInput): TrajectoryEvent {
    const event = { seq: this.seq++, at: new Date().toISOString(), ...input } as TrajectoryEvent;
    // Without a file, a sink or a secret to redact, the line is not needed (listeners get the event).
    if (this.fd === null && !this.sink && this.secrets.length === 0) {
      for (const listener of this.listeners) listener(event);
      return event;
    }
    let line = JSON.stringify(event);
    for (const secret of this.secrets) line = line.split(secret).join('[REDACTED]');
    if (this.fd !== null) {
      if (!this.byStep) writeSync(this.fd, `${line}\n`);
      else {
        this.pending += `${line}\n`;
        if (input.type === 'budget' || this.pending.length >= PENDING_BYTES) this.flush();
      }
    }
    const redacted = this.secrets.length ? (JSON.parse(line) as TrajectoryEvent) : event;
    this.sink?.append(redacted, line);
    for (const listener of this.listeners) listener(redacted);
    return redacted;
  }

  /**
   * Resolves once every event written so far is stored: at once for a file (each write is synchronous); for a
   * sink, when it has them (a model reply is awaited so, before the run goes on).
   */
  durable(): Promise<void> {
    this.flush();
    return this.sink ? this.sink.durable() : Promise.resolve();
  }

  /** Writes the lines a writer `byStep` holds (none otherwise). */
  flush(): void {
    if (this.fd === null || this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    writeSync(this.fd, text);
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Closes the file, or stores what a sink has pending and lets go of it. */
  async closeDurably(): Promise<void> {
    this.close();
    await this.sink?.close();
  }
}

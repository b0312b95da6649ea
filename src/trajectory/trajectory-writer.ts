import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrajectoryEvent, TrajectoryEventInput } from './trajectory-events.ts';

export type TrajectoryListener = (event: TrajectoryEvent) => void;

/**
 * Append-only JSONL. Each event is written with one synchronous write, so a killed run leaves a
 * readable prefix. Secret values are replaced before anything reaches the file or a listener.
 */
export class TrajectoryWriter {
  private fd: number | null;
  private seq = 0;
  private readonly listeners: TrajectoryListener[] = [];
  private readonly secrets: string[];

  constructor(
    readonly path: string | null,
    secrets: string[] = [],
    /** The seq of the first event written: a resumed run appends after the events already in the file. */
    firstSeq = 0,
  ) {
    this.seq = firstSeq;
    this.secrets = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a');
    } else {
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
    let line = JSON.stringify(event);
    for (const secret of this.secrets) line = line.split(secret).join('[REDACTED]');
    if (this.fd !== null) writeSync(this.fd, `${line}\n`);
    const redacted = this.secrets.length ? (JSON.parse(line) as TrajectoryEvent) : event;
    for (const listener of this.listeners) listener(redacted);
    return redacted;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

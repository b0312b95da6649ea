import { createHash } from 'node:crypto';
import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import { canonicalJson } from './canonical-json.ts';
import { jsonEqual } from './json-equal.ts';

export function requestKey(kind: string, request: unknown): string {
  return createHash('sha256').update(kind).update('\0').update(canonicalJson(request)).digest('hex');
}

interface LedgerEntry<T> {
  /** The request key: recorded (an execution's `key`), or computed from `kind` and the request when first asked. */
  key: string | undefined;
  kind: string;
  group: string;
  request: unknown;
  value: T;
  used: boolean;
}

/** Entries in recorded order, and the index before which all are used. */
interface Queue<T> {
  entries: LedgerEntry<T>[];
  next: number;
}

/** A recording taken by {@link RecordedLedger.takeNextIfEqual}: its request as recorded, its value and its key. */
export interface LedgerMatch<T> {
  request: unknown;
  value: T;
  key(): string;
}

/**
 * Recorded outcomes grouped by request key. Equal requests are answered in recorded order, so parallel
 * calls that finish in a different order still get the same answers.
 *
 * A replay asks in recorded order almost always: {@link takeNextIfEqual} compares a request with its group's next
 * recording directly (no canonical JSON, no hash); the keys, and the index by key that {@link take} uses, are made
 * only when first needed.
 */
export class RecordedLedger<T> {
  private readonly all: LedgerEntry<T>[] = [];
  private allNext = 0;
  private readonly groups = new Map<string, Queue<T>>();
  private byKey: Map<string, Queue<T>> | undefined;
  private used = 0;

  /** `key`: the recorded request key, or the request's kind, from which the key is computed when needed. */
  add(key: string | { kind: string }, group: string, request: unknown, value: T): void {
    const entry: LedgerEntry<T> = {
      key: typeof key === 'string' ? key : undefined,
      kind: typeof key === 'string' ? '' : key.kind,
      group,
      request,
      value,
      used: false,
    };
    this.all.push(entry);
    const queue = this.groups.get(group);
    if (queue) queue.entries.push(entry);
    else this.groups.set(group, { entries: [entry], next: 0 });
    if (this.byKey) this.index(entry);
  }

  /** The earliest unused recording whose request key is `key`. */
  take(key: string): T | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const entry of this.all) this.index(entry);
    }
    const queue = this.byKey.get(key);
    const entry = queue ? firstUnused(queue) : undefined;
    if (!entry) return undefined;
    this.use(entry);
    return entry.value;
  }

  /**
   * The earliest unused recording of `group` when its request equals `request` written as JSON (object keys in any
   * order: equal canonical JSON, so the same request key): the one {@link take} would give for that key, since an
   * equal request is in the same group. Undefined when it differs (the caller then looks the request up by key).
   */
  takeNextIfEqual(group: string, request: unknown): LedgerMatch<T> | undefined {
    const queue = this.groups.get(group);
    const entry = queue ? firstUnused(queue) : undefined;
    if (!entry || !jsonEqual(request, entry.request)) return undefined;
    this.use(entry);
    return { request: entry.request, value: entry.value, key: () => this.keyOf(entry) };
  }

  /** The earliest unused recording in a group (same agent, same step kind): what the run should have asked. */
  nextUnused(group: string): { request: unknown } | undefined {
    const queue = this.groups.get(group);
    return (queue ? firstUnused(queue) : undefined) ?? this.firstUnusedOfAll();
  }

  get size(): number {
    return this.all.length;
  }

  unusedCount(): number {
    return this.all.length - this.used;
  }

  private use(entry: LedgerEntry<T>): void {
    entry.used = true;
    this.used += 1;
  }

  private keyOf(entry: LedgerEntry<T>): string {
    entry.key ??= requestKey(entry.kind, entry.request);
    return entry.key;
  }

  private index(entry: LedgerEntry<T>): void {
    const key = this.keyOf(entry);
    const queue = this.byKey!.get(key);
    if (queue) queue.entries.push(entry);
    else this.byKey!.set(key, { entries: [entry], next: 0 });
  }

  private firstUnusedOfAll(): LedgerEntry<T> | undefined {
    while (this.allNext < this.all.length && this.all[this.allNext]!.used) this.allNext++;
    return this.all[this.allNext];
  }

  static modelCalls(events: TrajectoryEvent[]): RecordedLedger<RecordedModelOutcome> {
    const ledger = new RecordedLedger<RecordedModelOutcome>();
    const model = { kind: 'model' };
    for (const event of events) {
      if (event.type === 'model_call')
        ledger.add(model, event.request.agent, event.request, { kind: 'reply', reply: event.reply });
      else if (event.type === 'model_error')
        ledger.add(model, event.request.agent, event.request, { kind: 'error', error: event.error });
    }
    return ledger;
  }

  static steps(events: TrajectoryEvent[]): RecordedLedger<unknown> {
    const ledger = new RecordedLedger<unknown>();
    for (const event of events)
      if (event.type === 'execution') ledger.add(event.key, event.kind, event.request, event.result);
    return ledger;
  }
}

/** The queue's earliest unused entry (entries are used out of order too: by key, or answered in another order). */
function firstUnused<T>(queue: Queue<T>): LedgerEntry<T> | undefined {
  while (queue.next < queue.entries.length && queue.entries[queue.next]!.used) queue.next++;
  return queue.entries[queue.next];
}

export type RecordedModelOutcome =
  | { kind: 'reply'; reply: import('../models/model-types.ts').ModelReply }
  | { kind: 'error'; error: { name: string; message: string; attempts?: number | undefined; data?: unknown } };

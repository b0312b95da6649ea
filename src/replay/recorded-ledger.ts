import { createHash } from 'node:crypto';
import type { TrajectoryEvent } from '../trajectory/trajectory-events.ts';
import { canonicalJson } from './canonical-json.ts';

export function requestKey(kind: string, request: unknown): string {
  return createHash('sha256').update(kind).update('\0').update(canonicalJson(request)).digest('hex');
}

interface LedgerEntry<T> {
  key: string;
  order: number;
  group: string;
  request: unknown;
  value: T;
  used: boolean;
}

/**
 * Recorded outcomes grouped by request key. Equal requests are answered in recorded order, so parallel
 * calls that finish in a different order still get the same answers.
 */
export class RecordedLedger<T> {
  private readonly byKey = new Map<string, LedgerEntry<T>[]>();
  private readonly all: LedgerEntry<T>[] = [];

  add(key: string, group: string, request: unknown, value: T): void {
    const entry = { key, order: this.all.length, group, request, value, used: false };
    this.all.push(entry);
    const list = this.byKey.get(key);
    if (list) list.push(entry);
    else this.byKey.set(key, [entry]);
  }

  take(key: string): T | undefined {
    const entry = this.byKey.get(key)?.find((e) => !e.used);
    if (!entry) return undefined;
    entry.used = true;
    return entry.value;
  }

  /** The earliest unused recording in a group (same agent, same step kind): what the run should have asked. */
  nextUnused(group: string): { request: unknown } | undefined {
    return this.all.find((e) => !e.used && e.group === group) ?? this.all.find((e) => !e.used);
  }

  get size(): number {
    return this.all.length;
  }

  unusedCount(): number {
    return this.all.filter((e) => !e.used).length;
  }

  static modelCalls(events: TrajectoryEvent[]): RecordedLedger<RecordedModelOutcome> {
    const ledger = new RecordedLedger<RecordedModelOutcome>();
    for (const event of events) {
      if (event.type === 'model_call')
        ledger.add(requestKey('model', event.request), event.request.agent, event.request, {
          kind: 'reply',
          reply: event.reply,
        });
      else if (event.type === 'model_error')
        ledger.add(requestKey('model', event.request), event.request.agent, event.request, {
          kind: 'error',
          error: event.error,
        });
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

export type RecordedModelOutcome =
  | { kind: 'reply'; reply: import('../models/model-types.ts').ModelReply }
  | { kind: 'error'; error: { name: string; message: string; attempts?: number | undefined; data?: unknown } };

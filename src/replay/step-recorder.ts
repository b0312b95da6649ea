import type { TrajectoryWriter } from '../trajectory/trajectory-writer.ts';
import { canonicalJson } from './canonical-json.ts';
import { DivergenceError } from './divergence-error.ts';
import { lineDiff } from './line-diff.ts';
import { type RecordedLedger, requestKey } from './recorded-ledger.ts';

export interface StepReplay {
  ledger: RecordedLedger<unknown>;
  exec: 'live' | 'recorded';
  onDivergence: 'stop' | 'live';
  state: { diverged: boolean };
}

/** Keys whose values legitimately differ between two runs of the same step. */
const VOLATILE_KEY = /^(durationMs|duration_ms|wallMs|elapsedMs|latencyMs|startedAt|finishedAt|sandbox)$/;

/**
 * Records deterministic steps (executions and batches of them). Under replay it either answers from the
 * recording (`exec: recorded`, nothing is spawned) or runs again and requires the same result.
 */
export class StepRecorder {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly trajectory: TrajectoryWriter,
    private readonly currentNode: () => string,
    private readonly replay?: StepReplay,
    /** A resumed run: the steps the killed run had recorded after its last checkpoint, answered without running. */
    private readonly answered?: RecordedLedger<unknown>,
  ) {}

  async run<T>(kind: string, request: unknown, execute: () => Promise<T>): Promise<T> {
    const node = this.currentNode();
    const occurrence = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, occurrence);
    const replay = this.replay && !this.replay.state.diverged ? this.replay : undefined;
    // The recording's next step of this kind, when the request equals it (almost always): its request and key as
    // recorded, no copy or hash of this one. Otherwise the request's key looks it up, as for a resumed run.
    const match = replay && !this.answered ? replay.ledger.takeNextIfEqual(kind, request) : undefined;
    let plainRequest: unknown;
    let key: string;
    let recorded: unknown;
    let haveRecording = false;
    if (match) {
      plainRequest = match.request;
      key = match.key();
      recorded = match.value;
      haveRecording = true;
    } else {
      plainRequest = toPlain(request);
      key = requestKey(kind, plainRequest);
      const answered = this.answered?.take(key);
      if (answered !== undefined) return answered as T;
      if (replay) {
        recorded = replay.ledger.take(key);
        haveRecording = recorded !== undefined;
        if (!haveRecording) {
          const expected = replay.ledger.nextUnused(kind);
          const diff = lineDiff(
            expected ? pretty(expected.request) : '(the recording holds no further step of this kind)',
            pretty(plainRequest),
          );
          this.diverge(replay, kind, occurrence, node, `request not in recording\n${diff}`);
        }
      }
    }
    if (replay && haveRecording && replay.exec === 'recorded') {
      this.trajectory.write({ type: 'execution', node, kind, key, request: plainRequest, result: recorded });
      return recorded as T;
    }
    const started = performance.now();
    const result = await execute();
    const durationMs = Math.round(performance.now() - started);
    const plainResult = toPlain(result);
    if (replay && haveRecording && canonicalJson(stable(plainResult)) !== canonicalJson(stable(recorded))) {
      this.diverge(
        replay,
        kind,
        occurrence,
        node,
        `result differs from the recording\n${lineDiff(pretty(stable(recorded)), pretty(stable(plainResult)))}`,
      );
    }
    this.trajectory.write({
      type: 'execution',
      node,
      kind,
      key,
      request: plainRequest,
      result: plainResult,
      durationMs,
    });
    return result;
  }

  private diverge(replay: StepReplay, kind: string, occurrence: number, node: string, diff: string): void {
    if (replay.onDivergence === 'stop')
      throw new DivergenceError('execution', occurrence, node, `${kind} #${occurrence}: ${diff}`);
    replay.state.diverged = true;
    this.trajectory.write({
      type: 'note',
      node,
      message: `replay diverged at ${kind} #${occurrence}; continuing live`,
      data: { diff },
    });
  }
}

function toPlain(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!VOLATILE_KEY.test(k)) out[k] = stable(v);
    return out;
  }
  return value;
}

function pretty(value: unknown): string {
  return JSON.stringify(JSON.parse(canonicalJson(value)), null, 2);
}

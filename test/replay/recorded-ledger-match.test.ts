import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/replay/canonical-json.ts';
import { jsonEqual } from '../../src/replay/json-equal.ts';
import { RecordedLedger, requestKey } from '../../src/replay/recorded-ledger.ts';
import { StepRecorder } from '../../src/replay/step-recorder.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('jsonEqual: equal as JSON, without serialising', () => {
  const recorded = { b: [1, 'two', { c: null, d: true }], a: 'x', n: -0 };
  it.each([
    ['the same value', { b: [1, 'two', { c: null, d: true }], a: 'x', n: 0 }, true],
    ['keys in another order', { a: 'x', n: 0, b: [1, 'two', { d: true, c: null }] }, true],
    [
      'undefined and function members, which JSON drops',
      { a: 'x', u: undefined, f: () => 1, n: 0, b: [1, 'two', { c: null, d: true }] },
      true,
    ],
    ['a nested value changed', { b: [1, 'two', { c: null, d: false }], a: 'x', n: 0 }, false],
    ['a member missing', { b: [1, 'two', { c: null, d: true }], a: 'x' }, false],
    ['a member more', { b: [1, 'two', { c: null, d: true }], a: 'x', n: 0, m: 1 }, false],
    ['an array longer', { b: [1, 'two', { c: null, d: true }, 4], a: 'x', n: 0 }, false],
    ['a number for a string', { b: ['1', 'two', { c: null, d: true }], a: 'x', n: 0 }, false],
  ])('%s', (_name, value, equal) => {
    expect(jsonEqual(value, plain(recorded))).toBe(equal);
    // what it stands for: equal canonical JSON, so the same request key
    expect(canonicalJson(plain(value)) === canonicalJson(plain(recorded))).toBe(equal);
  });

  it.each([
    ['a Date (toJSON)', { at: new Date(0) }, { at: '1970-01-01T00:00:00.000Z' }],
    [
      'a class instance',
      {
        x: new (class Point {
          x = 1;
        })(),
      },
      { x: { x: 1 } },
    ],
    ['NaN (null in JSON)', { x: Number.NaN }, { x: null }],
    ['undefined in an array (null in JSON)', { x: [undefined] }, { x: [null] }],
  ])('answers false where it does not model JSON (%s): the caller takes the exact path', (_name, value, asJson) => {
    expect(canonicalJson(plain(value))).toBe(canonicalJson(asJson));
    expect(jsonEqual(value, asJson)).toBe(false);
  });
});

function events(writer: TrajectoryWriter): TrajectoryEvent[] {
  const seen: TrajectoryEvent[] = [];
  writer.onEvent((event) => seen.push(event));
  return seen;
}

describe('RecordedLedger: the next recording of a group, compared directly', () => {
  const request = (n: number) => ({ language: 'python', source: `print(${n})`, limits: { timeoutSec: 2 } });
  const recording = () => {
    const ledger = new RecordedLedger<string>();
    for (const n of [1, 2, 1]) ledger.add(requestKey('exec', request(n)), 'exec', plain(request(n)), `result ${n}`);
    return ledger;
  };

  it('takes the same recordings, in the same order, as taking them by request key', () => {
    const asked = [1, 1, 2];
    const byKey = recording();
    const direct = recording();
    for (const n of asked) {
      const key = requestKey('exec', request(n));
      const match = direct.takeNextIfEqual('exec', request(n)) ?? undefined;
      const value = match ? match.value : direct.take(key);
      expect(value).toBe(byKey.take(key));
      if (match) expect(match.key()).toBe(key);
    }
    expect(direct.unusedCount()).toBe(0);
    expect(byKey.unusedCount()).toBe(0);
  });

  it('matches only the group’s next recording: another request is left to the lookup by key', () => {
    const ledger = recording();
    expect(ledger.takeNextIfEqual('exec', request(2))).toBeUndefined();
    expect(ledger.unusedCount()).toBe(3);
    expect(ledger.take(requestKey('exec', request(2)))).toBe('result 2');
    expect(ledger.takeNextIfEqual('exec', request(1))?.value).toBe('result 1');
    expect(ledger.takeNextIfEqual('exec', request(1))?.value).toBe('result 1');
    expect(ledger.nextUnused('exec')).toBeUndefined();
    expect(ledger.takeNextIfEqual('exec', request(1))).toBeUndefined();
  });

  it('computes a model call’s key from its request only when asked', () => {
    const model = {
      provider: 'openai',
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      params: {},
      agent: 'coder',
    };
    const ledger = RecordedLedger.modelCalls([
      { seq: 1, at: '', type: 'model_call', node: 'coder', call: 0, request: model, reply: {} } as never,
    ]);
    const match = ledger.takeNextIfEqual('coder', { ...model, recordKey: undefined });
    expect(match?.key()).toBe(requestKey('model', model));
  });

  it('a replayed step is written as recorded, the live request’s key order and undefined members aside', async () => {
    const recordWriter = new TrajectoryWriter(null);
    const recordedEvents = events(recordWriter);
    await new StepRecorder(recordWriter, () => 'execute').run('exec', request(1), async () => ({ verdict: 'passed' }));

    const replayWriter = new TrajectoryWriter(null);
    const replayedEvents = events(replayWriter);
    const replayer = new StepRecorder(replayWriter, () => 'execute', {
      ledger: RecordedLedger.steps(recordedEvents.map((e) => plain(e) as TrajectoryEvent)),
      exec: 'recorded',
      onDivergence: 'stop',
      state: { diverged: false },
    });
    const live = { limits: { timeoutSec: 2 }, source: 'print(1)', stdin: undefined, language: 'python' };
    await expect(replayer.run('exec', live, async () => ({ verdict: 'failed' }))).resolves.toEqual({
      verdict: 'passed',
    });
    const [before, after] = [recordedEvents[0], replayedEvents[0]] as [
      Extract<TrajectoryEvent, { type: 'execution' }>,
      Extract<TrajectoryEvent, { type: 'execution' }>,
    ];
    expect(after.key).toBe(before.key);
    expect(after.key).toBe(requestKey('exec', plain(live)));
    expect(canonicalJson(after.request)).toBe(canonicalJson(before.request));
  });
});

import { describe, expect, it } from 'vitest';
import { withLiveFallback } from '../../../graphs/c2rust/recorded-or-live-model.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../../../src/models/model-types.ts';
import { RecordedSamplesModel } from '../../../src/models/recorded/recorded-samples-model.ts';
import { sampleSourceFromMap } from '../../../src/models/recorded/sample-source.ts';

const request = (recordKey: string): ModelRequest => ({
  provider: 'openai',
  model: 'm',
  messages: [{ role: 'user', content: 'translate' }],
  params: {},
  agent: 'coder',
  recordKey,
});

/** A model of our own interface that answers every call with the same text and counts its calls. */
class CountingModel implements ModelClient {
  calls = 0;
  async call(): Promise<ModelReply> {
    this.calls++;
    return {
      texts: ['live'],
      finishReasons: ['stop'],
      usage: { inputTokens: 1, outputTokens: 1 },
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      model: 'm',
    };
  }
}

describe('--on-divergence live: the recorded translation first, the configured model for what it lacks', () => {
  it('answers from the recording, then live once the recording is used up; unknown keys go live too', async () => {
    const live = new CountingModel();
    let created = 0;
    const model = withLiveFallback(
      new RecordedSamplesModel(sampleSourceFromMap('t', new Map([['a', ['recorded']]]))),
      () => {
        created++;
        return live;
      },
    );
    expect(created).toBe(0);
    expect((await model.call(request('a'))).texts).toEqual(['recorded']);
    expect(created).toBe(0);
    expect((await model.call(request('a'))).texts).toEqual(['live']);
    expect((await model.call(request('b'))).texts).toEqual(['live']);
    expect(live.calls).toBe(2);
    expect(created).toBe(1);
  });
});

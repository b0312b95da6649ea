import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../src/models/model-types.ts';
import { joinSamplesByPrompt } from '../../src/models/recorded/join-samples-by-prompt.ts';
import { loadSampleSource } from '../../src/models/recorded/load-sample-source.ts';
import { RecordedSampleError } from '../../src/models/recorded/recorded-sample-error.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import { RecordingFormatError } from '../../src/models/recorded/recording-format-error.ts';
import { sampleSourceByAgent, sampleSourceFromMap } from '../../src/models/recorded/sample-source.ts';

const request = (agent: string, recordKey: string | undefined, n?: number): ModelRequest => ({
  provider: 'recorded',
  model: 'codegen-mono-16b',
  messages: [{ role: 'user', content: 'anything' }],
  params: n === undefined ? {} : { n },
  agent,
  ...(recordKey === undefined ? {} : { recordKey }),
});

describe('RecordedSamplesModel', () => {
  const source = sampleSourceByAgent({
    coder: sampleSourceFromMap(
      'solutions.jsonl',
      new Map([
        ['T/1', ['s0', 's1', 's2', 's3']],
        ['T/2', ['u0']],
      ]),
    ),
    tester: sampleSourceFromMap('tests.jsonl', new Map([['T/1', ['t0', 't1']]])),
  });

  it('answers the i-th request of a key with sample i, and n > 1 with the next n samples', async () => {
    const model = new RecordedSamplesModel(source);
    expect((await model.call(request('coder', 'T/1'))).texts).toEqual(['s0']);
    expect((await model.call(request('coder', 'T/1', 2))).texts).toEqual(['s1', 's2']);
    expect((await model.call(request('coder', 'T/2'))).texts).toEqual(['u0']);
    expect((await model.call(request('tester', 'T/1', 2))).texts).toEqual(['t0', 't1']);
    expect(model.remaining('coder', 'T/1')).toBe(1);
  });

  it('costs nothing: zero tokens, zero dollars, one attempt', async () => {
    const reply = await new RecordedSamplesModel(source).call(request('coder', 'T/1', 3));
    expect(reply.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(reply.costUsd).toBe(0);
    expect(reply.attempts).toBe(1);
    expect(reply.finishReasons).toEqual(['recorded', 'recorded', 'recorded']);
    expect(reply.model).toBe('codegen-mono-16b');
  });

  it('fails clearly when the recording is exhausted, without consuming anything', async () => {
    const model = new RecordedSamplesModel(source);
    await model.call(request('coder', 'T/1', 3));
    const error = await model.call(request('coder', 'T/1', 2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordedSampleError);
    expect(error).toMatchObject({
      reason: 'exhausted',
      key: 'T/1',
      agent: 'coder',
      requested: 2,
      available: 4,
      consumed: 3,
    });
    expect((error as Error).message).toContain('solutions.jsonl');
    expect((await model.call(request('coder', 'T/1'))).texts).toEqual(['s3']);
  });

  it('fails clearly on an unknown key, an unknown agent and a missing key', async () => {
    const model = new RecordedSamplesModel(source);
    await expect(model.call(request('coder', 'T/9'))).rejects.toMatchObject({ reason: 'unknown-key', key: 'T/9' });
    await expect(model.call(request('tester', 'T/2'))).rejects.toMatchObject({ reason: 'unknown-key' });
    await expect(model.call(request('critic', 'T/1'))).rejects.toMatchObject({
      reason: 'unknown-key',
      agent: 'critic',
    });
    await expect(model.call(request('coder', undefined))).rejects.toMatchObject({ reason: 'missing-key' });
  });

  it('rewinds a key to sample 0', async () => {
    const model = new RecordedSamplesModel(source);
    await model.call(request('coder', 'T/2'));
    model.rewind('coder', 'T/2');
    expect((await model.call(request('coder', 'T/2'))).texts).toEqual(['u0']);
  });
});

describe('recording loaders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codet-recording-'));
  const tasks = join(dir, 'tasks.jsonl');
  writeFileSync(
    tasks,
    [
      { task_id: 'T/0', prompt: 'def f():\n', entry_point: 'f' },
      { task_id: 'T/1', prompt: 'def g():\n', entry_point: 'g' },
      { task_id: 'T/2', prompt: 'def g():\n ', entry_point: 'g' },
    ]
      .map((row) => `${JSON.stringify(row)}\n`)
      .join(''),
  );

  it('joins prompt-keyed generations to tasks by exact prompt string', () => {
    const samples = join(dir, 'samples.jsonl');
    writeFileSync(
      samples,
      `${JSON.stringify({ prompt: 'def g():\n ', samples: ['b'] })}\n${JSON.stringify({ prompt: 'def g():\n', samples: ['a', 'a2'] })}\n`,
    );
    const joined = joinSamplesByPrompt(samples, tasks);
    expect([...joined]).toEqual([
      ['T/1', ['a', 'a2']],
      ['T/2', ['b']],
    ]);
    const source = loadSampleSource('samples.jsonl?joinPromptsWith=tasks.jsonl', dir);
    expect(source.samplesFor('coder', 'T/2')).toEqual(['b']);
    expect(source.samplesFor('coder', 'T/0')).toBeUndefined();
  });

  it('names the file and line of a prompt that matches no task', () => {
    const samples = join(dir, 'bad.jsonl');
    writeFileSync(
      samples,
      `${JSON.stringify({ prompt: 'def f():\n', samples: [] })}\n${JSON.stringify({ prompt: 'def h():\n', samples: ['x'] })}\n`,
    );
    expect(() => joinSamplesByPrompt(samples, tasks)).toThrow(RecordingFormatError);
    expect(() => joinSamplesByPrompt(samples, tasks)).toThrow(`${samples}:2 (prompt)`);
  });

  it('reads key-addressed files', () => {
    const keyed = join(dir, 'keyed.jsonl');
    writeFileSync(
      keyed,
      `${JSON.stringify({ key: 'k1', samples: ['x'] })}\n\n${JSON.stringify({ task_id: 'k2', samples: ['y', 'z'] })}\n`,
    );
    const source = loadSampleSource(keyed, '/nowhere');
    expect(source.samplesFor('tester', 'k2')).toEqual(['y', 'z']);
    expect(source.label).toBe(keyed);
  });
});

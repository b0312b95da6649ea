import { describe, expect, it } from 'vitest';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../../src/models/model-types.ts';
import { DivergenceError } from '../../src/replay/divergence-error.ts';
import { RecordedLedger, type RecordedModelOutcome } from '../../src/replay/recorded-ledger.ts';
import { StepRecorder } from '../../src/replay/step-recorder.ts';
import { TrajectoryModelClient } from '../../src/replay/trajectory-model-client.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

/** A model of our own interface (not an SDK) that echoes the last user message, counting calls. */
function echoModel(): ModelClient & { calls: number } {
  const model = {
    calls: 0,
    async call(request: ModelRequest): Promise<ModelReply> {
      model.calls += 1;
      const last = request.messages.at(-1)?.content ?? '';
      return {
        texts: [`echo:${last}`],
        finishReasons: ['stop'],
        usage: { inputTokens: 3, outputTokens: 2 },
        costUsd: 0.001,
        attempts: 1,
        latencyMs: 1,
        model: request.model,
      };
    },
  };
  return model;
}

function request(text: string, agent = 'coder'): ModelRequest {
  return {
    provider: 'openai',
    model: 'm',
    messages: [{ role: 'user', content: text }],
    params: { temperature: 0 },
    agent,
  };
}

function memoryWriter(): { writer: TrajectoryWriter; events: TrajectoryEvent[] } {
  const writer = new TrajectoryWriter(null);
  const events: TrajectoryEvent[] = [];
  writer.onEvent((e) => events.push(e));
  return { writer, events };
}

function client(
  writer: TrajectoryWriter,
  live: ModelClient,
  replay?: RecordedLedger<RecordedModelOutcome>,
  onDivergence: 'stop' | 'live' = 'stop',
) {
  let n = 0;
  const budget = new BudgetTracker({});
  return {
    budget,
    client: new TrajectoryModelClient({
      agent: 'coder',
      trajectory: writer,
      budget,
      currentNode: () => 'coder',
      nextCallIndex: () => n++,
      live: () => live,
      liveRecordsBudget: false,
      ...(replay ? { replay: { ledger: replay, onDivergence, state: { diverged: false } } } : {}),
    }),
  };
}

describe('model call recording and replay', () => {
  it('replays recorded replies without calling the model, by request identity, in any order', async () => {
    const rec = memoryWriter();
    const live = echoModel();
    const { client: recorder } = client(rec.writer, live);
    await recorder.call(request('a'));
    await recorder.call(request('b'));
    expect(live.calls).toBe(2);

    const ledger = RecordedLedger.modelCalls(rec.events);
    const replayLive = echoModel();
    const rep = memoryWriter();
    const { client: replayer, budget } = client(rep.writer, replayLive, ledger);
    const b = await replayer.call(request('b'));
    const a = await replayer.call(request('a'));
    expect([a.texts[0], b.texts[0]]).toEqual(['echo:a', 'echo:b']);
    expect(replayLive.calls).toBe(0);
    expect(budget.totals().costUsd).toBeCloseTo(0.002);
    expect(budget.totals().modelCalls).toBe(2);
  });

  it('stops with a divergence naming the step, node and the changed line', async () => {
    const rec = memoryWriter();
    const { client: recorder } = client(rec.writer, echoModel());
    await recorder.call(request('write add(a, b)\nreturn the sum'));
    const { client: replayer } = client(memoryWriter().writer, echoModel(), RecordedLedger.modelCalls(rec.events));
    const error = await replayer.call(request('write add(a, b)\nreturn the product')).catch((e) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error.step).toBe(0);
    expect(error.node).toBe('coder');
    expect(error.diff).toMatch(/- .*return the sum/);
    expect(error.diff).toMatch(/\+ .*return the product/);
  });

  it('continues with the live model after a divergence under onDivergence=live', async () => {
    const rec = memoryWriter();
    const { client: recorder } = client(rec.writer, echoModel());
    await recorder.call(request('x'));
    const live = echoModel();
    const rep = memoryWriter();
    const { client: replayer } = client(rep.writer, live, RecordedLedger.modelCalls(rec.events), 'live');
    const reply = await replayer.call(request('y'));
    expect(reply.texts[0]).toBe('echo:y');
    expect(live.calls).toBe(1);
    expect(rep.events.some((e) => e.type === 'note' && /diverged/.test(e.message))).toBe(true);
  });
});

describe('step recording and replay', () => {
  it('answers recorded steps without running them, and requires equal results when re-run', async () => {
    const rec = memoryWriter();
    const recorder = new StepRecorder(rec.writer, () => 'execute');
    let runs = 0;
    const run = async () => ({ verdict: 'passed', stdout: 'ok', durationMs: ++runs });
    await recorder.run('exec', { source: 'print(1)' }, run);
    expect(runs).toBe(1);

    const ledger = () => RecordedLedger.steps(rec.events);
    const recorded = new StepRecorder(memoryWriter().writer, () => 'execute', {
      ledger: ledger(),
      exec: 'recorded',
      onDivergence: 'stop',
      state: { diverged: false },
    });
    const answer = await recorded.run('exec', { source: 'print(1)' }, run);
    expect(runs).toBe(1);
    expect(answer).toEqual({ verdict: 'passed', stdout: 'ok', durationMs: 1 });

    // re-run for real: durations may differ, everything else must match
    const rerun = new StepRecorder(memoryWriter().writer, () => 'execute', {
      ledger: ledger(),
      exec: 'live',
      onDivergence: 'stop',
      state: { diverged: false },
    });
    await expect(rerun.run('exec', { source: 'print(1)' }, run)).resolves.toMatchObject({ verdict: 'passed' });
    expect(runs).toBe(2);

    const mismatch = new StepRecorder(memoryWriter().writer, () => 'execute', {
      ledger: ledger(),
      exec: 'live',
      onDivergence: 'stop',
      state: { diverged: false },
    });
    const error = await mismatch
      .run('exec', { source: 'print(1)' }, async () => ({ verdict: 'failed', stdout: 'ok', durationMs: 0 }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error.diff).toMatch(/- .*"passed"/);
    expect(error.diff).toMatch(/\+ .*"failed"/);
  });

  it('reports an unrecorded step as a divergence', async () => {
    const recorder = new StepRecorder(memoryWriter().writer, () => 'execute', {
      ledger: new RecordedLedger(),
      exec: 'recorded',
      onDivergence: 'stop',
      state: { diverged: false },
    });
    await expect(recorder.run('exec', { source: 'x' }, async () => 1)).rejects.toBeInstanceOf(DivergenceError);
  });
});

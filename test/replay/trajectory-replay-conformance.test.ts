import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError } from '../../src/budget/budget-exhausted-error.ts';
import { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import { createModelClient } from '../../src/models/create-model-client.ts';
import type { ModelRequest } from '../../src/models/model-types.ts';
import { DEFAULT_PRICES } from '../../src/models/price-table.ts';
import { DivergenceError } from '../../src/replay/divergence-error.ts';
import { RecordedLedger, type RecordedModelOutcome } from '../../src/replay/recorded-ledger.ts';
import { TrajectoryModelClient } from '../../src/replay/trajectory-model-client.ts';
import { httpProviderTarget } from '../../src/testing/http-provider-target.ts';
import { describeProviderConformance } from '../../src/testing/provider-conformance.ts';
import type { ProviderConformanceTarget, ScriptedCall } from '../../src/testing/provider-conformance-target.ts';
import { openAiHarness } from '../../src/testing/provider-wire-harness.ts';
import type { TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

/**
 * The replay client, held to the same scenarios: each script is first recorded for real (the openai
 * provider with its SDK against the openai wire server, through a recording TrajectoryModelClient), the
 * server is stopped, and the scenario then runs against a TrajectoryModelClient replaying that recording.
 */
const overTheWire = httpProviderTarget(openAiHarness, createModelClient);

function trajectoryClient(
  budget: BudgetTracker,
  writer: TrajectoryWriter,
  live: TrajectoryModelClient['call'] | undefined,
  ledger?: RecordedLedger<RecordedModelOutcome>,
): TrajectoryModelClient {
  let call = 0;
  return new TrajectoryModelClient({
    agent: 'coder',
    trajectory: writer,
    budget,
    currentNode: () => 'coder',
    nextCallIndex: () => call++,
    live: () => {
      if (!live) throw new Error('a replay under onDivergence=stop never calls the live model');
      return { call: live };
    },
    liveRecordsBudget: true,
    ...(ledger ? { replay: { ledger, onDivergence: 'stop' as const, state: { diverged: false } } } : {}),
  });
}

const replayTarget: ProviderConformanceTarget = {
  capabilities: {
    usage: true,
    budget: true,
    abort: true,
    failures: true,
    wire: {
      notApplicable:
        'answers from the recording and makes no HTTP request (the recording itself is made over the wire)',
    },
  },
  provider: 'openai',
  model: openAiHarness.pricedModel,
  price: DEFAULT_PRICES[openAiHarness.pricedModel]!,
  unanswered: { type: DivergenceError, fields: { kind: 'model', node: 'coder' } },
  async start(script, { budget }) {
    const ledger = await recordOverTheWire(script, new BudgetTracker({}));
    return {
      client: trajectoryClient(budget, new TrajectoryWriter(null), undefined, ledger),
      backendCalls: () => ledger.size - ledger.unusedCount(),
      stop: async () => {},
    };
  },
};

/** Records each scripted call (failures included) through a recording trajectory client; returns the ledger. */
async function recordOverTheWire(
  script: ScriptedCall[],
  budget: BudgetTracker,
): Promise<RecordedLedger<RecordedModelOutcome>> {
  const live = await overTheWire.start(script, { budget });
  const writer = new TrajectoryWriter(null);
  const events: TrajectoryEvent[] = [];
  writer.onEvent((event) => events.push(event));
  const recorder = trajectoryClient(budget, writer, (request, options) => live.client.call(request, options));
  try {
    for (const { request } of script) await recorder.call(request).catch(() => undefined);
  } finally {
    await live.stop();
  }
  return RecordedLedger.modelCalls(events);
}

describeProviderConformance('replay', replayTarget);

describe('replay: errors as the spine maps them', () => {
  it('replays a budget stop recorded mid-call as BudgetExhaustedError, so the run ends exhausted:calls', async () => {
    const request = recordingRequest();
    // the first attempt gets a 500; the retry is stopped by the calls budget inside the provider client
    const ledger = await recordOverTheWire(
      [{ request, answer: { failure: { status: 500 } } }],
      new BudgetTracker({ modelCalls: 1 }),
    );
    const replayed = trajectoryClient(new BudgetTracker({}), new TrajectoryWriter(null), undefined, ledger);
    const error = await replayed.call(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(error).toMatchObject({ budget: 'calls', used: 1, limit: 1 });
  });
});

function recordingRequest(): ModelRequest {
  return {
    provider: 'openai',
    model: openAiHarness.pricedModel,
    messages: [{ role: 'user', content: 'Write f.' }],
    params: {},
    agent: 'coder',
  };
}

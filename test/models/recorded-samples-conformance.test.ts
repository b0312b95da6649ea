import type { BudgetTracker } from '../../src/budget/budget-tracker.ts';
import type { ModelClient } from '../../src/models/model-types.ts';
import { RecordedSampleError } from '../../src/models/recorded/recorded-sample-error.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import { type SampleSource, sampleSourceFromMap } from '../../src/models/recorded/sample-source.ts';
import { TrajectoryModelClient } from '../../src/replay/trajectory-model-client.ts';
import { describeProviderConformance } from '../../src/testing/provider-conformance.ts';
import type {
  ProviderCapabilities,
  ProviderConformanceTarget,
  ScriptedCall,
} from '../../src/testing/provider-conformance-target.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

/** The script's answers as recorded samples, by record key, in script order; look-ups are counted. */
function countedSource(script: ScriptedCall[]): SampleSource & { lookups: number } {
  const byKey = new Map<string, string[]>();
  for (const { request, answer } of script) {
    if ('failure' in answer) throw new Error('a sample file holds answers only');
    const key = request.recordKey ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), ...answer.texts]);
  }
  const inner = sampleSourceFromMap('conformance samples', byKey);
  const source = {
    label: inner.label,
    lookups: 0,
    samplesFor(agent: string, key: string) {
      source.lookups += 1;
      return inner.samplesFor(agent, key);
    },
  };
  return source;
}

const common = {
  usage: { notApplicable: 'recorded samples were generated earlier; a call now uses 0 tokens and costs $0' },
  abort: true,
  failures: { notApplicable: 'a sample file holds answers only, no failures' },
  wire: { notApplicable: 'answers from a file and makes no HTTP request' },
} satisfies Omit<ProviderCapabilities, 'budget'>;

function recordedTarget(
  wrap: (model: RecordedSamplesModel, budget: BudgetTracker) => ModelClient,
  budget: ProviderCapabilities['budget'],
): ProviderConformanceTarget {
  return {
    capabilities: { ...common, budget },
    provider: 'recorded',
    model: 'recorded-samples',
    unanswered: { type: RecordedSampleError, fields: { reason: 'exhausted', agent: 'coder', key: 'task-1' } },
    async start(script, { budget }) {
      const source = countedSource(script);
      return {
        client: wrap(new RecordedSamplesModel(source), budget),
        backendCalls: () => source.lookups,
        stop: async () => {},
      };
    },
  };
}

describeProviderConformance(
  'recorded',
  recordedTarget((model) => model, {
    notApplicable: "the spine charges it through TrajectoryModelClient: see 'recorded, as the spine runs it'",
  }),
);

// As runPipeline builds it for `provider: recorded`: the trajectory client checks the budget before each call
// and charges the reply's attempts and usage itself (liveRecordsBudget: false).
describeProviderConformance(
  'recorded, as the spine runs it',
  recordedTarget((model, budget) => {
    let call = 0;
    return new TrajectoryModelClient({
      agent: 'coder',
      trajectory: new TrajectoryWriter(null),
      budget,
      currentNode: () => 'coder',
      nextCallIndex: () => call++,
      live: () => model,
      liveRecordsBudget: false,
    });
  }, true),
);

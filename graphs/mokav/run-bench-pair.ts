import type { LoadedConfig } from '../../src/config/load-pipeline-config.ts';
import type { PipelineConfig } from '../../src/config/pipeline-config-schema.ts';
import { RecordedSamplesModel } from '../../src/models/recorded/recorded-samples-model.ts';
import {
  type SampleSource,
  sampleSourceByAgent,
  sampleSourceFromMap,
} from '../../src/models/recorded/sample-source.ts';
import type { PipelineSet } from '../../src/runtime/pipeline-definition.ts';
import { silentProgress } from '../../src/runtime/progress-reporter.ts';
import { type RunPipelineResult, runPipeline } from '../../src/runtime/run-pipeline.ts';
import type { MokavResult } from './mokav-result.ts';
import type { MokavTask } from './mokav-task.ts';

/** A pair as a bench helper runs it: the task, the logged samples of its rounds, where its trajectory goes. */
export interface PairJob {
  task: MokavTask;
  samples: [string, string[]][];
  candidatesLabel: string;
  trajectoryPath: string | null;
}

export interface PairOutcome {
  status: RunPipelineResult['status'];
  summary: string;
  result: MokavResult | null;
}

/** The describer's answer in a replay: the released runs logged the tester's samples only. */
const DESCRIPTION_NOT_RECORDED = '(the released run did not log this description)';

/** The describer's samples in a replay: one placeholder for every key. */
const notRecordedDescriber: SampleSource = { label: 'not recorded', samplesFor: () => [DESCRIPTION_NOT_RECORDED] };

/** Every model of the config answered by the logged samples: the tester per (pair, round), the describer a placeholder. */
export function recordedModels(
  config: PipelineConfig,
  candidatesLabel: string,
  byRound: ReadonlyMap<string, string[]>,
) {
  const model = new RecordedSamplesModel(
    sampleSourceByAgent({ tester: sampleSourceFromMap(candidatesLabel, byRound), describer: notRecordedDescriber }),
  );
  return Object.fromEntries(Object.values(config.agents).map((agent) => [agent.model, model]));
}

/** One pair through the graph with the config loaded once for the whole bench (the bench and its helpers alike). */
export async function runBenchPair(input: {
  loaded: LoadedConfig;
  set: string[];
  pipelines: PipelineSet;
  task: MokavTask;
  models: ReturnType<typeof recordedModels>;
  trajectoryPath: string | null;
}): Promise<PairOutcome> {
  const run = await runPipeline({
    configPath: input.loaded.path,
    set: input.set,
    loadedConfig: input.loaded,
    task: input.task,
    models: input.models,
    progress: silentProgress,
    pipelines: input.pipelines,
    trajectoryPath: input.trajectoryPath,
  });
  return { status: run.status, summary: run.summary, result: run.result as MokavResult | null };
}

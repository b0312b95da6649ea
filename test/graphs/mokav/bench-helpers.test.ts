import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchHelperThread } from '../../../graphs/mokav/bench-helper-thread.ts';
import { createMokavPipeline, type MokavTask } from '../../../graphs/mokav/index.ts';
import type { PairJob, PairOutcome } from '../../../graphs/mokav/run-bench-pair.ts';
import { type LoadedConfig, loadPipelineConfig } from '../../../src/config/load-pipeline-config.ts';
import { closeSharedPythonWorkerPool } from '../../../src/execution/batch/index.ts';
import type { CallsRequest } from '../../../src/execution/matrix/matrix-engine.ts';
import {
  acquireSharedMatrixEngine,
  type MatrixEngineLease,
} from '../../../src/execution/matrix/matrix-engine-lease.ts';
import { RecordedSamplesModel } from '../../../src/models/recorded/recorded-samples-model.ts';
import { sampleSourceByAgent, sampleSourceFromMap } from '../../../src/models/recorded/sample-source.ts';
import { pipelineChecks } from '../../../src/runtime/pipeline-checks.ts';
import { PipelineRegistry } from '../../../src/runtime/pipeline-registry.ts';
import { runPipeline } from '../../../src/runtime/run-pipeline.ts';

// The bench's two speed-ups: the config loaded once for every pair, and pairs run by a helper thread whose
// executions go through the bench's engine.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG = join(ROOT, 'configs/mokav-badti.yaml');
const SET = ['options.samples=2', 'execution.cache=false'];
const fn = (name: string, body: string) => ({
  source: `def ${name}(*args):\n\tglobal_list = []\n\t${body}\n\treturn global_list\n`,
  function: name,
  filename: name === 'patched_func' ? '<patched>' : '<original>',
});
// Q halves, P takes a third: "1" and "2" agree (0 and 0), "4" is a DET (2 against 1).
const task: MokavTask = {
  id: 'thirds',
  patched: fn('patched_func', 'global_list.append(int(args[0]) // 2)'),
  original: fn('original_func', 'global_list.append(int(args[0]) // 3)'),
  exampleInput: '1',
  replyFormat: 'inputdata-string',
  rounds: 2,
};
const samples: [string, string[]][] = [
  ['thirds#0', ["{'inputdata': '1'}", 'no input here']],
  ['thirds#1', ["{'inputdata': '4'}", "{'inputdata': '2'}"]],
];
const models = (config: LoadedConfig) => {
  const model = new RecordedSamplesModel(
    sampleSourceByAgent({
      tester: sampleSourceFromMap('test samples', new Map(samples)),
      describer: { label: 'placeholder', samplesFor: () => ['(a description)'] },
    }),
  );
  return Object.fromEntries(Object.values(config.config.agents).map((agent) => [agent.model, model]));
};

let dir: string;
let loaded: LoadedConfig;
let lease: MatrixEngineLease;
const pipeline = () => createMokavPipeline({ acquireEngine: () => ({ engine: lease.engine, release() {} }) });
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mokav-workers-'));
  loaded = await loadPipelineConfig(CONFIG, { set: SET, ...pipelineChecks(new PipelineRegistry([pipeline()])) });
  lease = acquireSharedMatrixEngine({ config: loaded.config, baseDir: loaded.baseDir });
});
afterAll(async () => {
  await lease.release();
  await closeSharedPythonWorkerPool();
  rmSync(dir, { recursive: true, force: true });
});

const runHere = (trajectoryPath: string | null, preloaded?: LoadedConfig) =>
  runPipeline({
    configPath: CONFIG,
    set: SET,
    ...(preloaded ? { loadedConfig: preloaded } : {}),
    task,
    models: models(loaded),
    pipelines: new PipelineRegistry([pipeline()]),
    trajectoryPath,
  });

const header = (file: string) => {
  const { runId: _runId, at: _at, ...rest } = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!);
  return rest;
};

describe('refinery bench mokav: speed without changing a figure', () => {
  it('a run given the loaded config records the header and result of one that reads the file', async () => {
    const read = await runHere(join(dir, 'read.jsonl'));
    const given = await runHere(join(dir, 'given.jsonl'), loaded);
    expect(read.status).toBe('passed');
    expect(given.result).toEqual(read.result);
    expect(header(join(dir, 'given.jsonl'))).toEqual(header(join(dir, 'read.jsonl')));
  });

  it("a helper thread runs a pair through the graph, its executions on the bench's engine: the same result", async () => {
    const here = await runHere(null);
    const requests: CallsRequest[] = [];
    const helper = new BenchHelperThread<PairJob, PairOutcome>(
      { loaded, set: SET },
      {
        runCalls: (request, options) => {
          requests.push(request);
          return lease.engine.runCalls(request, options);
        },
      },
    );
    try {
      expect(await helper.ready).toBe(true);
      const outcome = await helper.run({ task, samples, candidatesLabel: 'test samples', trajectoryPath: null });
      expect(outcome.status).toBe('passed');
      expect(outcome.result).toEqual(here.result);
      expect(outcome.result?.det?.round).toBe(2);
      // prepare (Q on the example), then one request per round.
      expect(requests.length).toBe(3);
    } finally {
      await helper.close();
    }
  }, 60_000);
});

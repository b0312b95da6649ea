/**
 * A helper thread of `refinery bench mokav` (started by bench-helper-thread.ts, never imported): it loads the
 * graph once, then runs each pair the bench sends through it with the bench's loaded config, several at once,
 * and answers `done` (or `failed`). Its executions run on the bench's engine and cache: each `runCalls` is a
 * message to the bench's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CallsRequest, CallsResult, MatrixEngine } from '../../src/execution/matrix/matrix-engine.ts';
import { PipelineRegistry } from '../../src/runtime/pipeline-registry.ts';
import type { FromHelper, HelperSetup, ToHelper } from './bench-helper-messages.ts';
import { createMokavPipeline } from './mokav-pipeline.ts';
import { type PairJob, type PairOutcome, recordedModels, runBenchPair } from './run-bench-pair.ts';

const setup = workerData as HelperSetup;
const port = parentPort!;
const send = (message: FromHelper<PairOutcome>) => port.postMessage(message);

const waiting = new Map<number, { resolve: (r: CallsResult) => void; reject: (e: Error) => void }>();
let nextExec = 0;
const unavailable = (what: string) => () => Promise.reject(new Error(`${what} is not available in a bench helper`));
const engine: MatrixEngine = {
  runMatrix: unavailable('runMatrix'),
  runPrograms: unavailable('runPrograms'),
  runCalls: (request: CallsRequest) =>
    new Promise((resolve, reject) => {
      const id = nextExec++;
      waiting.set(id, { resolve, reject });
      send({ type: 'exec', id, request });
    }),
};
const pipelines = new PipelineRegistry([createMokavPipeline({ acquireEngine: () => ({ engine, release() {} }) })]);

port.on('message', (message: ToHelper<PairJob>) => {
  if (message.type === 'run') {
    const { job } = message;
    runBenchPair({
      loaded: setup.loaded,
      set: setup.set,
      pipelines,
      task: job.task,
      models: recordedModels(setup.loaded.config, job.candidatesLabel, new Map(job.samples)),
      trajectoryPath: job.trajectoryPath,
    }).then(
      (outcome) => send({ type: 'done', id: message.id, outcome }),
      (error: unknown) =>
        send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  const exec = waiting.get(message.id);
  waiting.delete(message.id);
  if (message.type === 'exec-result') exec?.resolve(message.result);
  else exec?.reject(new Error(message.message));
});

// The graph (LangGraph) loads on a run's start: load it now, so the first pair does not wait for it.
await import('./mokav-graph.ts');
send({ type: 'ready' });

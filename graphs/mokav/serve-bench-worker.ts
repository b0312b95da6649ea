import type { CallsRequest, CallsResult, MatrixEngine } from '../../src/execution/matrix/matrix-engine.ts';
import type { FromWorker, ToWorker } from './bench-worker-messages.ts';

/**
 * The helper's side ({@link isBenchWorker}): runs each job its parent sends, several at once, with the job runner
 * `setup` returns, and answers `done` (or `failed`). `setup` gets an engine whose executions run in the parent (its
 * engine and cache). Resolves when the parent closes the channel.
 */
export function serveBenchWorker<Job, Outcome>(
  setup: (engine: MatrixEngine) => (job: Job) => Promise<Outcome>,
): Promise<void> {
  const send = (message: FromWorker<Outcome>) => {
    if (process.connected) process.send!(message);
  };
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
  const runJob = setup(engine);
  const cpuMicros = () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  return new Promise((resolve) => {
    process.on('message', (message: ToWorker<Job>) => {
      if (message.type === 'run') {
        runJob(message.job).then(
          (outcome) => send({ type: 'done', id: message.id, outcome, cpuMicros: cpuMicros() }),
          (error: unknown) =>
            send({
              type: 'failed',
              id: message.id,
              message: error instanceof Error ? error.message : String(error),
              cpuMicros: cpuMicros(),
            }),
        );
        return;
      }
      const exec = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.type === 'exec-result') exec?.resolve(message.result);
      else exec?.reject(new Error(message.message));
    });
    process.once('disconnect', () => resolve());
    send({ type: 'ready', cpuMicros: cpuMicros() });
  });
}

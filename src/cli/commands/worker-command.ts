import { Command, Option } from 'commander';
import type { Refinery } from '../../runtime/create-refinery.ts';
import { type CliContext, setAction } from '../cli-context.ts';
import { UsageError } from '../usage-error.ts';

interface WorkerFlags {
  queue?: string;
  queueName: string;
  concurrency?: string;
  store?: string;
  quiet?: boolean;
}

/**
 * `refinery worker --queue redis://HOST:PORT`: runs the tasks of batches submitted with `refinery batch --queue`
 * (src/queue/queue-worker.ts) until SIGINT or SIGTERM, which cancel its running tasks (their checkpoints kept) and
 * put their jobs back on the queue for another worker to resume.
 */
export function workerCommand(refinery: Refinery, ctx: CliContext): Command {
  const command = new Command('worker')
    .summary('run queued batch tasks (refinery batch --queue) until stopped (docs/distributed.md)')
    .description(
      'Take tasks from a BullMQ job queue on Redis and run them, any registered pipeline: a task whose worker died ' +
        'is resumed from its checkpoint. Lock, stalled-job check and rate limit come from the batch config ' +
        "'queue:' section. SIGINT/SIGTERM stop it: running tasks go back to the queue.",
    )
    .addOption(new Option('--queue <URL>', 'the Redis holding the queue: redis://HOST:PORT'))
    .addOption(new Option('--queue-name <NAME>', 'the queue (as given to refinery batch)').default('refinery'))
    .addOption(new Option('--concurrency <N>', "tasks run at once (default: the batch's queue.concurrency, else 1)"))
    .addOption(
      new Option(
        '--store <URL>',
        "this worker's URL of the run store of batches submitted with --store (e.g. through an SSH tunnel)",
      ),
    )
    .addOption(new Option('--quiet', 'no line per job'));
  return setAction(command, ctx, async (flags: WorkerFlags) => {
    if (flags.queue === undefined) throw new UsageError('refinery worker', '--queue redis://HOST:PORT is required');
    const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))
      throw new UsageError('refinery worker', `--concurrency must be a positive integer (got '${flags.concurrency}')`);
    const [{ queueAddress }, { runQueueWorker }] = await Promise.all([
      import('../../queue/queue-connection.ts'),
      import('../../queue/queue-worker.ts'),
    ]);
    const address = queueAddress(flags.queue, flags.queueName);
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => stop.abort(`worker stopped (${signal})`);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const log = (line: string) => {
      if (!flags.quiet) ctx.stderr.write(`worker: ${line}\n`);
    };
    log(`pid ${process.pid} on queue '${address.name}' at ${address.url}`);
    try {
      const summary = await runQueueWorker({
        refinery,
        address,
        ...(concurrency !== undefined ? { concurrency } : {}),
        signal: stop.signal,
        ...(flags.store !== undefined ? { store: flags.store } : {}),
        openStore: async (url) => (await import('../../store/open-store.ts')).openStore(url),
        onLog: log,
        runOptions: { onWarning: (message) => ctx.stderr.write(`warning: ${message}\n`) },
      });
      ctx.stderr.write(
        `worker: stopped: ${summary.completed} completed, ${summary.failed} failed, ${summary.released} released\n`,
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  });
}

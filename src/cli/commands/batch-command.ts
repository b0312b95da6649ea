import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { BatchOutcome, BatchProgressState } from '../../batch/run-batch.ts';
import type { Refinery } from '../../runtime/create-refinery.ts';
import { newRunId } from '../../runtime/run-id.ts';
import { type CliContext, setAction } from '../cli-context.ts';
import { BatchProgressLine } from '../progress/batch-progress-line.ts';
import { addFooter, markRepeatable } from '../run-command-line.ts';
import { interruptSignal } from '../run-output.ts';
import { UsageError } from '../usage-error.ts';

interface BatchFlags {
  tasks?: string;
  concurrency: string;
  out?: string;
  resume?: string;
  set?: string[];
  json?: boolean;
  quiet?: boolean;
  maxCostUsd?: string;
  maxTokens?: string;
  maxWallSeconds?: string;
  queue?: string;
  queueName: string;
  store?: string;
}

/**
 * `refinery batch CONFIG --tasks FILE|DIR`: one pipeline over a task set (src/batch/run-batch.ts), and
 * `refinery batch --resume DIR` to continue one that was killed or stopped.
 */
export function batchCommand(refinery: Refinery, ctx: CliContext): Command {
  const command = new Command('batch')
    .summary('run a pipeline over a task set; --resume DIR continues a stopped batch (docs/batch-and-resume.md)')
    .description(
      'Run a pipeline over a task set, N tasks at a time: one trajectory per task, a results table (results.jsonl) ' +
        'written as tasks end, and a summary. Ctrl-C stops cleanly (running tasks end cancelled with partial ' +
        'results); --resume DIR skips finished tasks, resumes interrupted ones and runs the rest.',
    )
    .argument('[CONFIG]', 'the pipeline config (YAML); not with --resume')
    .addOption(
      new Option(
        '--tasks <FILE|DIR>',
        'tasks: a JSON Lines file (one a line), a JSON/YAML list, or a directory of .json/.yaml files',
      ),
    )
    .addOption(new Option('--concurrency <N>', 'tasks run at once').default('1'))
    .addOption(new Option('--out <DIR>', 'the batch directory (default: runs/batch-<id>)'))
    .addOption(new Option('--resume <DIR>', 'continue the batch in DIR (its config, --set and tasks are reused)'))
    .addOption(
      markRepeatable(new Option('--set <key.path=value>', 'override one config key for every task (repeatable)')),
    )
    .addOption(new Option('--max-cost-usd <USD>', 'whole-batch budget: stop once the tasks together spent this'))
    .addOption(new Option('--max-tokens <N>', 'whole-batch budget: input + output tokens over all tasks'))
    .addOption(new Option('--max-wall-seconds <S>', 'whole-batch budget: wall time of the batch'))
    .addOption(
      new Option(
        '--queue <URL>',
        'submit the tasks to a BullMQ queue on this Redis (redis://HOST:PORT) and follow them: `refinery worker` runs them',
      ),
    )
    .addOption(new Option('--queue-name <NAME>', 'the queue, with --queue (workers take the same)').default('refinery'))
    .addOption(
      new Option(
        '--store <URL>',
        'with --queue: the workers keep the runs in this store (postgres://USER@HOST:PORT/DB), not in --out',
      ),
    )
    .addOption(new Option('--json', 'print each results row as one JSON line on stdout as its task ends (no bar)'))
    .addOption(new Option('--quiet', 'no progress bar; only the summary'));
  addFooter(
    command,
    "Per-task budgets are the config's budgets (--set budgets.costUsd=0.1). Exit status, first that applies: " +
      '130 cancelled (Ctrl-C), 11/12/13 a whole-batch budget (tokens/cost/time) stopped it, 2 a task was invalid ' +
      '(reported; the others ran), 3 a task ended in an error, 1 a task did not pass, 0 every task passed.',
  );
  return setAction(command, ctx, async (configPath: string | undefined, flags: BatchFlags) => {
    if (flags.resume !== undefined && (configPath !== undefined || flags.tasks !== undefined))
      throw new UsageError(
        'refinery batch',
        "--resume DIR reuses the batch's own config and tasks: give neither CONFIG nor --tasks",
      );
    if (flags.resume === undefined && (configPath === undefined || flags.tasks === undefined))
      throw new UsageError('refinery batch', 'a new batch needs CONFIG and --tasks FILE|DIR (or --resume DIR)');
    const concurrency = positive('--concurrency', flags.concurrency)!;
    const budget = {
      ...optional('costUsd', positive('--max-cost-usd', flags.maxCostUsd)),
      ...optional('tokens', positive('--max-tokens', flags.maxTokens)),
      ...optional('wallSeconds', positive('--max-wall-seconds', flags.maxWallSeconds)),
    };
    const bar = flags.json || flags.quiet ? undefined : new BatchProgressLine();
    const onProgress = (state: BatchProgressState) => {
      if (flags.json && state.row) ctx.stdout.write(`${JSON.stringify(state.row)}\n`);
      bar?.update(state);
    };
    const outDir = flags.resume ?? flags.out ?? join('runs', `batch-${newRunId()}`);
    if (flags.store !== undefined && flags.queue === undefined)
      throw new UsageError('refinery batch', '--store URL goes with --queue URL (the workers keep the runs there)');
    if (flags.queue !== undefined) {
      if (flags.concurrency !== '1')
        throw new UsageError(
          'refinery batch',
          "with --queue, concurrency is the workers' (refinery worker --concurrency): give no --concurrency",
        );
      const [{ submitBatch }, { queueAddress }] = await Promise.all([
        import('../../queue/submit-batch.ts'),
        import('../../queue/queue-connection.ts'),
      ]);
      const outcome = await submitBatch({
        refinery,
        address: queueAddress(flags.queue, flags.queueName),
        ...(configPath !== undefined ? { configPath } : {}),
        ...(flags.tasks !== undefined ? { tasksPath: flags.tasks } : {}),
        set: flags.set ?? [],
        outDir,
        resume: flags.resume !== undefined,
        ...(flags.store !== undefined ? { store: flags.store } : {}),
        budget,
        signal: interruptSignal(),
        onProgress,
      });
      bar?.clear();
      ctx.stderr.write(summaryOf(outcome));
      return outcome.exitCode;
    }
    const { runBatch } = await import('../../batch/run-batch.ts');
    const outcome = await runBatch({
      refinery,
      ...(configPath !== undefined ? { configPath } : {}),
      ...(flags.tasks !== undefined ? { tasksPath: flags.tasks } : {}),
      set: flags.set ?? [],
      outDir,
      resume: flags.resume !== undefined,
      concurrency,
      budget,
      signal: interruptSignal(),
      onProgress,
      runOptions: { onWarning: (message) => ctx.stderr.write(`warning: ${message}\n`) },
    });
    bar?.clear();
    ctx.stderr.write(summaryOf(outcome));
    return outcome.exitCode;
  });
}

function summaryOf(outcome: BatchOutcome): string {
  const counts = new Map<string, number>();
  for (const row of outcome.rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const cost = outcome.rows.reduce((sum, row) => sum + (row.totals?.costUsd ?? 0), 0);
  const idWidth = Math.min(32, Math.max(4, ...outcome.rows.map((r) => r.id.length)));
  const statusWidth = Math.max(6, ...outcome.rows.map((r) => r.status.length));
  const lines = [
    `${'task'.padEnd(idWidth)}  ${'status'.padEnd(statusWidth)}  calls  cost      summary`,
    ...outcome.rows.map(
      (r) =>
        `${r.id.slice(0, idWidth).padEnd(idWidth)}  ${r.status.padEnd(statusWidth)}  ${String(r.totals?.modelCalls ?? '-').padStart(5)}  ${`$${(r.totals?.costUsd ?? 0).toFixed(4)}`.padEnd(8)}  ${r.summary.split('\n')[0]}`,
    ),
    '',
    `${outcome.rows.length} task(s): ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none'}` +
      `${outcome.notStarted ? `, ${outcome.notStarted} not started` : ''}; cost $${cost.toFixed(4)}`,
    ...(outcome.stopped
      ? [`stopped: ${outcome.stopped} (continue with: refinery batch --resume ${outcome.outDir})`]
      : []),
    `results: ${outcome.resultsPath}`,
    `status: ${outcome.status} (exit ${outcome.exitCode})`,
  ];
  return `${lines.join('\n')}\n`;
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError('refinery batch', `${flag} must be a positive number (got '${value}')`);
  return n;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

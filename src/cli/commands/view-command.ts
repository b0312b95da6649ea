import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { ParsedTrajectory } from '../../trajectory/trajectory-reader.ts';
import { buildViewHtml } from '../../view/build-view.ts';
import { openInBrowser } from '../../view/open-in-browser.ts';
import { type CliContext, createCliContext, setAction } from '../cli-context.ts';
import { runSubcommand } from '../run-command-line.ts';
import { storedTrajectory, storeOption, withStore } from '../store-option.ts';
import { UsageError } from '../usage-error.ts';

/**
 * `refinery view TRAJECTORY [B] [--out FILE.html] [--open]`: one self-contained HTML page of a run (docs/viewer.md),
 * or of two runs of the same task side by side, aligned by step, with the first point where they differ.
 */
export function viewCommand(ctx: CliContext): Command {
  const command = new Command('view')
    .summary('write an HTML page of a trajectory, or of two side by side (docs/viewer.md)')
    .description(
      'Write one self-contained HTML page (no network) of a recorded run: timeline, model calls with their diffs, ' +
        'executions, budgets and the result. With two trajectories: both runs aligned by step, and where they first differ.',
    )
    .argument('[TRAJECTORY]', 'the run (JSONL; with --store, its run id); with B, the run shown as A')
    .argument('[B]', 'a second run of the same task, compared with the first')
    .addOption(
      new Option('--out <FILE>', 'the HTML file to write (default: beside TRAJECTORY, .jsonl replaced by .html)'),
    )
    .addOption(new Option('--open', "open the page in the desktop's browser"))
    .addOption(storeOption())
    .addHelpText('after', '\nWith --store and no run id: lists the runs in the store (id, start, events, status).');
  return setAction(command, ctx, async (a: string | undefined, b: string | undefined, flags: ViewFlags) => {
    if (flags.out !== undefined && !/\.html?$/i.test(flags.out))
      throw new UsageError('refinery view', `--out ${flags.out}: the page is HTML; name a .html file`);
    if (flags.store !== undefined) return viewStored(flags.store, a, b, flags, ctx);
    if (a === undefined)
      throw new UsageError('refinery view', 'missing argument TRAJECTORY (or --store URL to list runs)');
    const html = buildViewHtml(b === undefined ? [a] : [a, b]);
    const out = resolve(flags.out ?? defaultOut(a, b));
    writeFileSync(out, html);
    ctx.stdout.write(`${out}\n`);
    if (flags.open) {
      const problem = await openInBrowser(out);
      if (problem) ctx.stderr.write(`refinery view: ${problem}\n`);
    }
    return 0;
  });
}

interface ViewFlags {
  out?: string;
  open?: boolean;
  store?: string;
}

/** `refinery view --store URL [RUN [B]]`: the page of runs in the store (written in the working directory), or the list of its runs. */
async function viewStored(
  location: string,
  a: string | undefined,
  b: string | undefined,
  flags: ViewFlags,
  ctx: CliContext,
): Promise<number> {
  const runs = await withStore(location, async (store) => {
    if (a === undefined) {
      for (const run of await store.listRuns())
        ctx.stdout.write(`${run.runId}\t${run.startedAt}\t${run.events} events\t${run.status ?? 'unfinished'}\n`);
      return undefined;
    }
    const ids = b === undefined ? [a] : [a, b];
    return Promise.all(ids.map((id) => storedTrajectory(store, id, 'refinery view')));
  });
  if (!runs) return 0;
  const html = buildViewHtml(runs as [ParsedTrajectory] | [ParsedTrajectory, ParsedTrajectory]);
  const out = resolve(flags.out ?? (b === undefined ? `${a}.html` : `${a}-vs-${b}.html`));
  writeFileSync(out, html);
  ctx.stdout.write(`${out}\n`);
  if (flags.open) {
    const problem = await openInBrowser(out);
    if (problem) ctx.stderr.write(`refinery view: ${problem}\n`);
  }
  return 0;
}

function defaultOut(a: string, b: string | undefined): string {
  const stem = (path: string) => basename(path).replace(/\.jsonl?$/i, '');
  return join(dirname(a), b === undefined ? `${stem(a)}.html` : `${stem(a)}-vs-${stem(b)}.html`);
}

/** `refinery view` on its own (the arguments after `view`). */
export async function runViewCommand(argv: string[], ctx: CliContext = createCliContext()): Promise<number> {
  return runSubcommand(viewCommand(ctx), argv, ctx);
}

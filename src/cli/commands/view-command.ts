import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { buildViewHtml } from '../../view/build-view.ts';
import { openInBrowser } from '../../view/open-in-browser.ts';
import { type CliContext, createCliContext, setAction } from '../cli-context.ts';
import { runSubcommand } from '../run-command-line.ts';
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
    .argument('<TRAJECTORY>', 'the run (JSONL); with B, the run shown as A')
    .argument('[B]', 'a second run of the same task, compared with the first')
    .addOption(
      new Option('--out <FILE>', 'the HTML file to write (default: beside TRAJECTORY, .jsonl replaced by .html)'),
    )
    .addOption(new Option('--open', "open the page in the desktop's browser"));
  return setAction(command, ctx, async (a: string, b: string | undefined, flags: { out?: string; open?: boolean }) => {
    if (flags.out !== undefined && !/\.html?$/i.test(flags.out))
      throw new UsageError('refinery view', `--out ${flags.out}: the page is HTML; name a .html file`);
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

function defaultOut(a: string, b: string | undefined): string {
  const stem = (path: string) => basename(path).replace(/\.jsonl?$/i, '');
  return join(dirname(a), b === undefined ? `${stem(a)}.html` : `${stem(a)}-vs-${stem(b)}.html`);
}

/** `refinery view` on its own (the arguments after `view`). */
export async function runViewCommand(argv: string[], ctx: CliContext = createCliContext()): Promise<number> {
  return runSubcommand(viewCommand(ctx), argv, ctx);
}

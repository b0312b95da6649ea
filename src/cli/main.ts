import type { Command } from 'commander';
import type { Refinery } from '../runtime/create-refinery.ts';
import { BAD_INPUT_EXIT_CODE } from '../runtime/exit-status.ts';
import { type CliContext, createCliContext } from './cli-context.ts';
import { commandTable } from './command-table.ts';
import { replayTarget } from './commands/replay-command.ts';
import { runTarget } from './commands/run-command.ts';
import { reportError, runCommandLine } from './run-command-line.ts';

/**
 * The `refinery` command line, for the pipelines of `refinery` (bin/refinery.mjs passes the shipped ones).
 * Commands a pipeline brings (`refinery bench codet`) and the flags it adds to `run` and `replay` are found
 * through its registry, never named here. Returns the process exit code.
 */
export async function main(argv: string[], refinery: Refinery, ctx: CliContext = createCliContext()): Promise<number> {
  const [verb, ...rest] = argv;
  const cwd = process.cwd();
  let program: Command;
  try {
    // `run CONFIG` and `replay TRAJECTORY` name the pipeline, and so which flags the command takes.
    program = commandTable(refinery, ctx, {
      ...(verb === 'run' ? { run: await runTarget(rest, refinery, cwd) } : {}),
      ...(verb === 'replay' ? { replay: await replayTarget(rest, refinery, cwd) } : {}),
    });
  } catch (error) {
    return reportError(error, ctx);
  }
  if (verb === undefined) {
    // Help on stdout, and exit 2: a command was expected.
    program.configureOutput({ writeOut: (text) => ctx.stdout.write(text) }).outputHelp();
    return BAD_INPUT_EXIT_CODE;
  }
  return runCommandLine(program, argv, ctx);
}

import type { Command } from 'commander';
import type { Refinery } from '../runtime/create-refinery.ts';
import { type CliContext, createCliContext } from './cli-context.ts';
import { refineryProgram } from './refinery-program.ts';
import { runCommandLine } from './run-command-line.ts';

/** A command that starts without the pipeline registry: it loads the pipelines (`refinery()`) only when a flag needs them. */
export type LightCommand = (refinery: () => Promise<Refinery> | Refinery, ctx: CliContext) => Command;

/**
 * Commands loaded on their own when they are the verb: `refinery context` imports its own modules only, not every
 * command's, the pipelines' schemas, LangGraph or the model SDKs (bin/refinery.ts). Each is also in the full
 * command table (command-table.ts), which lists it in `refinery --help`.
 */
const LIGHT_COMMANDS = new Map<string, () => Promise<LightCommand>>([
  ['context', async () => (await import('./commands/context.ts')).contextCommand],
]);

/**
 * Runs `argv` when its verb is a light command, with the pipelines loaded by `refinery` only if the command asks;
 * undefined for any other verb (the caller runs the full command line, src/cli/main.ts).
 */
export async function runLightCommand(
  argv: string[],
  refinery: () => Promise<Refinery>,
  ctx: CliContext = createCliContext(),
): Promise<number | undefined> {
  const load = argv[0] === undefined ? undefined : LIGHT_COMMANDS.get(argv[0]);
  if (load === undefined) return undefined;
  const program = refineryProgram().addCommand((await load())(refinery, ctx));
  return runCommandLine(program, argv, ctx);
}

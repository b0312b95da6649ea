import { Command, CommanderError, type Option } from 'commander';
import { classifyError } from '../errors/classify-error.ts';
import { BAD_INPUT_EXIT_CODE } from '../runtime/exit-status.ts';
import type { CliContext } from './cli-context.ts';
import { UsageError } from './usage-error.ts';

const repeatable = new WeakSet<Option>();
const errorHints = new WeakMap<Command, string>();

/** Marks an option that may be given more than once (`--set a=1 --set b=2`), for the usage line. */
export function markRepeatable(option: Option): Option {
  repeatable.add(option);
  return option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** A line printed after a usage error of this command (e.g. where more flags come from). */
export function setErrorHint(command: Command, hint: string): Command {
  errorHints.set(command, hint);
  return command;
}

/** Help text after the flags, wrapped to the help's width like commander's own. */
export function addFooter(command: Command, text: string): Command {
  return command.addHelpText('after', () => {
    const help = command.createHelp();
    const width = process.stdout.columns || 80;
    return `\n${text
      .split('\n')
      .map((line) => (line.startsWith('  ') ? line : help.boxWrap(line, width)))
      .join('\n')}`;
  });
}

/** `refinery validate` → `CONFIG [--set <key.path=value>]... [--print]`: generated from the definition. */
export function synopsis(command: Command): string {
  const args = command.registeredArguments.map((a) => {
    const name = `${a.name()}${a.variadic ? '...' : ''}`;
    return a.required ? name : `[${name}]`;
  });
  const options = command.options
    .filter((o) => !o.hidden)
    .map((o) => {
      const flags = o.flags.replace(/^-\w, /, '');
      return `${o.mandatory ? flags : `[${flags}]`}${repeatable.has(o) ? '...' : ''}`;
    });
  return [...(command.commands.length > 0 ? ['COMMAND'] : []), ...args, ...options].join(' ');
}

/** `refinery bench codet` for the command `codet` under `bench` under the program. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Parses `argv` with the command tree and runs the action it selects. Returns the exit code: the action's;
 * 0 after `--help`; 2 (bad input) for a usage error, printed as `COMMAND: problem` and the usage line, with
 * no stack; for anything thrown, the exit code of its class (`classifyError`), with a stack only for the
 * unexpected.
 */
export async function runCommandLine(root: Command, argv: string[], ctx: CliContext): Promise<number> {
  prepare(root, ctx);
  try {
    await root.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // Help shown because a command was missing (`refinery bench` has its own action, so: `refinery` alone).
      if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : BAD_INPUT_EXIT_CODE;
      // Commander already printed the problem through `outputError`.
      return BAD_INPUT_EXIT_CODE;
    }
    return reportError(error, ctx);
  }
}

/** Runs one command of `refinery` on its own, with the arguments after its name (its tests, its callers). */
export function runSubcommand(command: Command, argv: string[], ctx: CliContext): Promise<number> {
  const root = new Command('refinery').addCommand(command);
  return runCommandLine(root, [command.name(), ...argv], ctx);
}

function prepare(command: Command, ctx: CliContext): void {
  const path = commandPath(command);
  if (command.parent) command.usage(synopsis(command));
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => ctx.stdout.write(text),
    writeErr: (text) => ctx.stderr.write(text),
    outputError: (text, write) => write(`${path}: ${text.replace(/^error: /, '')}${usageLines(command)}`),
  });
  for (const sub of command.commands) prepare(sub, ctx);
}

function usageLines(command: Command): string {
  const path = commandPath(command);
  const hint = errorHints.get(command);
  const usage = command.parent ? `usage: ${path} ${command.usage()}\n` : '';
  return `${usage}${hint ? `${hint}\n` : ''}(${path} --help lists every ${command.parent ? 'flag' : 'command'})\n`;
}

/** Prints a thrown error (a stack only for the unexpected) and returns the exit code of its class. */
export function reportError(error: unknown, ctx: CliContext): number {
  const { status, exitCode } = classifyError(error);
  // Only the unexpected needs a stack; everything else is a message naming what to fix.
  if (status === 'error')
    ctx.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  else ctx.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError && ctx.active) ctx.stderr.write(usageLines(ctx.active));
  return exitCode;
}

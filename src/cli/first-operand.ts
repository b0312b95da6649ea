import type { Command } from 'commander';
import type { FlagDescriptor } from '../runtime/pipeline-flags.ts';

/**
 * {@link firstOperand} for `command` (its own options) plus the flags any pipeline may add to it (`extra`):
 * whichever pipeline it turns out to be, its flags' values are not mistaken for the operand.
 */
export function firstOperandOf(
  command: Command,
  extra: readonly FlagDescriptor[],
  argv: readonly string[],
): { operand?: string; set: string[] } {
  const known = new Set(['-h', '--help', ...command.options.map((o) => o.long!), ...extra.map((d) => d.flag)]);
  const takesValue = new Set([
    ...command.options.filter((o) => o.required || o.optional).map((o) => o.long!),
    ...extra.filter((d) => d.placeholder !== undefined).map((d) => d.flag),
  ]);
  return firstOperand(argv, takesValue, known);
}

/**
 * The first positional argument of a command line (`CONFIG` of `refinery run`, `TRAJECTORY` of `replay`),
 * found before the command is fully defined: which pipeline it names decides the rest of the flags.
 * `takesValue` says which flags consume the next argument. Stops at an unknown flag (its value, if any,
 * cannot be told from an operand), leaving the full parse to report it. Also collects `--set` values, which
 * may change the config's graph.
 */
export function firstOperand(
  argv: readonly string[],
  takesValue: ReadonlySet<string>,
  known: ReadonlySet<string>,
): { operand?: string; set: string[] } {
  const set: string[] = [];
  let operand: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      operand ??= argv[i + 1];
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operand ??= arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!known.has(flag)) break;
    if (!takesValue.has(flag) || eq !== -1) {
      if (flag === '--set' && eq !== -1) set.push(arg.slice(eq + 1));
      continue;
    }
    const value = argv[i + 1];
    if (flag === '--set' && value !== undefined) set.push(value);
    i++;
  }
  return { ...(operand !== undefined ? { operand } : {}), set };
}

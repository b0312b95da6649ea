import { type Command, Option } from 'commander';
import { describeFlags, type FlagDescriptor, type FlagSchema } from '../runtime/pipeline-flags.ts';
import { markRepeatable } from './run-command-line.ts';

/**
 * Registers a pipeline's flag schema (`runFlags`, `replayFlags`, a command's `flags`) as commander options,
 * under a help heading when `group` is given. Keys the command already has are refused: a pipeline cannot
 * redefine the spine's flags.
 */
export function addFlagOptions(command: Command, schema: FlagSchema, group?: string): void {
  for (const descriptor of describeFlags(schema)) {
    if (command.options.some((o) => o.long === descriptor.flag)) {
      throw new Error(
        `${command.name()}: ${descriptor.flag} is declared twice (a pipeline flag cannot redefine a flag of the command)`,
      );
    }
    command.addOption(optionFor(descriptor, group));
  }
}

function optionFor(d: FlagDescriptor, group: string | undefined): Option {
  const defaultText = d.defaultValue === undefined ? '' : ` (default: ${JSON.stringify(d.defaultValue)})`;
  const option = new Option(d.placeholder ? `${d.flag} <${d.placeholder}>` : d.flag, `${d.description}${defaultText}`);
  // No commander default: the schema applies its own, and a flag left out stays out of the values.
  if (d.choices) option.choices(d.choices);
  if (d.repeatable) markRepeatable(option);
  if (d.required) option.makeOptionMandatory();
  if (group) option.helpGroup(group);
  return option;
}

/** The values of the schema's flags as parsed by `command` (absent flags left out), keyed as in the schema. */
export function flagValues(command: Command, schema: FlagSchema): Record<string, unknown> {
  const values = command.opts();
  return Object.fromEntries(
    describeFlags(schema).flatMap((d) => (values[d.key] === undefined ? [] : [[d.key, values[d.key]]])),
  );
}

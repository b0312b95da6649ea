import { Command } from 'commander';

/** The root `refinery` command, without its commands: the full table (command-table.ts) and a command loaded alone share it. */
export function refineryProgram(): Command {
  return new Command('refinery')
    .description(
      'Agents that loop on execution feedback: planner, coder, tester and critic, with exact record and replay.',
    )
    .usage('COMMAND [ARGUMENTS] [FLAGS]')
    .enablePositionalOptions()
    .helpCommand('help [COMMAND]', 'help for a command');
}

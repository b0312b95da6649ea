import { Command, Option } from 'commander';
import { z } from 'zod';
import { renderConfigReference } from '../../config/config-reference.ts';
import { pipelineConfigSchema } from '../../config/pipeline-config-schema.ts';
import { type CliContext, createCliContext, type OutputStream, setAction } from '../cli-context.ts';
import { runSubcommand } from '../run-command-line.ts';

/** JSON Schema of a pipeline config, for editors (e.g. `# yaml-language-server: $schema=...`). */
export function pipelineConfigJsonSchema(): Record<string, unknown> {
  // `input`: what a user writes, so keys with defaults are optional.
  return { title: 'Refinery pipeline config', ...z.toJSONSchema(pipelineConfigSchema, { io: 'input' }) };
}

/** `refinery schema`: the JSON Schema on stdout; `--markdown` prints the key reference table of docs/config.md. */
export function schemaCommand(ctx: CliContext): Command {
  const command = new Command('schema')
    .summary("print the config's JSON Schema, for editors")
    .description('Print the JSON Schema of a pipeline config (what a user writes: keys with defaults are optional).')
    .addOption(new Option('--markdown', 'print the key reference table of docs/config.md instead'));
  return setAction(command, ctx, (flags: { markdown?: boolean }) => {
    ctx.stdout.write(
      flags.markdown ? renderConfigReference() : `${JSON.stringify(pipelineConfigJsonSchema(), null, 2)}\n`,
    );
    return 0;
  });
}

/** `refinery schema` on its own (the arguments after `schema`). */
export async function runSchemaCommand(
  argv: string[],
  io: { stdout?: OutputStream; stderr?: OutputStream } = {},
): Promise<number> {
  const ctx = createCliContext(io);
  return runSubcommand(schemaCommand(ctx), argv, ctx);
}

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { renderConfigReference } from '../../config/config-reference.ts';
import { pipelineConfigSchema } from '../../config/pipeline-config-schema.ts';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';

const USAGE = 'usage: refinery schema [--markdown]\n';

/** JSON Schema of a pipeline config, for editors (e.g. `# yaml-language-server: $schema=...`). */
export function pipelineConfigJsonSchema(): Record<string, unknown> {
  // `input`: what a user writes, so keys with defaults are optional.
  return { title: 'Refinery pipeline config', ...z.toJSONSchema(pipelineConfigSchema, { io: 'input' }) };
}

/** `refinery schema`: the JSON Schema on stdout; `--markdown` prints the key reference table of docs/config.md. */
export async function runSchemaCommand(
  argv: string[],
  io: { stdout?: { write(text: string): unknown }; stderr?: { write(text: string): unknown } } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let markdown: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { markdown: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    markdown = values.markdown;
  } catch (error) {
    stderr.write(`refinery schema: ${(error as Error).message}\n${USAGE}`);
    return BAD_INPUT_EXIT_CODE;
  }
  stdout.write(markdown ? renderConfigReference() : `${JSON.stringify(pipelineConfigJsonSchema(), null, 2)}\n`);
  return 0;
}

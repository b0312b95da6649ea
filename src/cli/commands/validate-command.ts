import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ConfigError } from '../../config/config-error.ts';
import { loadPipelineConfig, type LoadPipelineConfigOptions } from '../../config/load-pipeline-config.ts';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';

const USAGE = 'usage: refinery validate CONFIG [--set key.path=value]... [--print]\n';

/** What `graph:`, `options:` and `agents:` are checked against (`pipelineChecks(registry)`). */
export type GraphRegistryView = Pick<LoadPipelineConfigOptions, 'knownGraphs' | 'optionsSchemaFor' | 'agentsRequiredBy'>;

export interface ValidateCommandDeps {
  /** Graphs to check `graph:`, `options:` and the agents against; without it only the spine's keys are checked. */
  graphs?: GraphRegistryView;
  env?: NodeJS.ProcessEnv;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/**
 * `refinery validate CONFIG [--set k=v]... [--print]`: 0 and `ok: CONFIG (graph NAME)` when the config loads,
 * 2 and one line per problem on stderr when it does not. `--print` shows the resolved config, secrets redacted.
 */
export async function runValidateCommand(argv: string[], deps: ValidateCommandDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { set: { type: 'string', multiple: true }, print: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    stderr.write(`refinery validate: ${(error as Error).message}\n${USAGE}`);
    return BAD_INPUT_EXIT_CODE;
  }
  if (parsed.values.help) {
    stdout.write(USAGE);
    return 0;
  }
  const file = parsed.positionals[0];
  if (file === undefined || parsed.positionals.length > 1) {
    stderr.write(`refinery validate: expected exactly one CONFIG file\n${USAGE}`);
    return BAD_INPUT_EXIT_CODE;
  }

  const graphs = deps.graphs;
  try {
    const loaded = await loadPipelineConfig(file, {
      set: parsed.values.set ?? [],
      ...(deps.env ? { env: deps.env } : {}),
      ...graphs,
    });
    stdout.write(`ok: ${file} (graph ${loaded.config.graph})\n`);
    if (parsed.values.print) stdout.write(stringify(loaded.redacted));
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`${error.message}\n`);
    return BAD_INPUT_EXIT_CODE;
  }
}

import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { ConfigError } from '../../config/config-error.ts';
import { type LoadPipelineConfigOptions, loadPipelineConfig } from '../../config/load-pipeline-config.ts';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';
import { type CliContext, createCliContext, type OutputStream, setAction } from '../cli-context.ts';
import { markRepeatable, runSubcommand } from '../run-command-line.ts';

/** What `graph:`, `options:` and `agents:` are checked against (`pipelineChecks(registry)`). */
export type GraphRegistryView = Pick<
  LoadPipelineConfigOptions,
  'knownGraphs' | 'optionsSchemaFor' | 'agentsRequiredBy'
>;

export interface ValidateCommandDeps {
  /** Graphs to check `graph:`, `options:` and the agents against; without it only the spine's keys are checked. */
  graphs?: GraphRegistryView;
  env?: NodeJS.ProcessEnv;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

/**
 * `refinery validate CONFIG [--set k=v]... [--print]`: 0 and `ok: CONFIG (graph NAME)` when the config loads,
 * 2 and one line per problem on stderr when it does not. `--print` shows the resolved config, secrets redacted.
 */
export function validateCommand(ctx: CliContext, deps: Pick<ValidateCommandDeps, 'graphs' | 'env'> = {}): Command {
  const command = new Command('validate')
    .summary('check a pipeline config (docs/config.md)')
    .description('Check a pipeline config: every problem, with file, line:column and key path.')
    .argument('<CONFIG>', 'the pipeline config (YAML)')
    .addOption(markRepeatable(new Option('--set <key.path=value>', 'override one config key (repeatable)')))
    .addOption(new Option('--print', 'print the resolved config, secrets as written (${VAR})'));
  return setAction(command, ctx, async (file: string, flags: { set?: string[]; print?: boolean }) => {
    try {
      const loaded = await loadPipelineConfig(file, {
        set: flags.set ?? [],
        ...(deps.env ? { env: deps.env } : {}),
        ...deps.graphs,
      });
      ctx.stdout.write(`ok: ${file} (graph ${loaded.config.graph})\n`);
      if (flags.print) ctx.stdout.write(stringify(loaded.redacted));
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      ctx.stderr.write(`${error.message}\n`);
      return BAD_INPUT_EXIT_CODE;
    }
  });
}

/** `refinery validate` on its own (the arguments after `validate`). */
export async function runValidateCommand(argv: string[], deps: ValidateCommandDeps = {}): Promise<number> {
  const ctx = createCliContext(deps);
  return runSubcommand(validateCommand(ctx, deps), argv, ctx);
}

import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Refinery } from '../../runtime/create-refinery.ts';
import type { AnyPipelineDefinition } from '../../runtime/pipeline-definition.ts';
import { describeFlags } from '../../runtime/pipeline-flags.ts';
import { type CliContext, createCliContext, setAction } from '../cli-context.ts';
import { firstOperandOf } from '../first-operand.ts';
import { addFlagOptions, flagValues } from '../flag-options.ts';
import { addFooter, markRepeatable, setErrorHint } from '../run-command-line.ts';
import { addOutputOptions, finish, interruptSignal, type OutputFlags, outputFor } from '../run-output.ts';

interface RunFlags extends OutputFlags {
  task?: string;
  set?: string[];
}

/**
 * `refinery run CONFIG [flags]`. The config's `graph:` decides the pipeline, and a pipeline may declare more
 * flags (`runFlags`): with `pipeline` given (found from CONFIG by {@link runTarget}), they are added here, so
 * `refinery run CONFIG --help` lists them and the parse accepts exactly them.
 */
export function runCommand(refinery: Refinery, ctx: CliContext, pipeline?: AnyPipelineDefinition): Command {
  const command = new Command('run')
    .summary('run a pipeline live')
    .description("Run a pipeline live. The config's graph: decides the pipeline; a pipeline may take more flags.")
    .argument('<CONFIG>', 'the pipeline config (YAML)');
  const ownTask = pipeline?.runFlags?.shape['task'] !== undefined;
  if (!ownTask)
    command.addOption(
      new Option('--task <FILE>', 'the task, a JSON or YAML file (for a pipeline without its own --task)'),
    );
  command.addOption(
    markRepeatable(
      new Option('--set <key.path=value>', 'override one config key, e.g. --set budgets.iterations=2 (repeatable)'),
    ),
  );
  addOutputOptions(command);
  if (pipeline?.runFlags)
    addFlagOptions(command, pipeline.runFlags, `Flags of the ${pipeline.name} pipeline (graph: ${pipeline.name}):`);
  const withFlags = refinery.pipelines.all().filter((p) => p.runFlags);
  const listing = withFlags
    .map(
      (p) =>
        `  ${p.name}: ${describeFlags(p.runFlags!)
          .map((d) => d.flag)
          .join(' ')}`,
    )
    .join('\n');
  if (!pipeline) {
    addFooter(
      command,
      `A pipeline may take more flags: \`refinery run CONFIG --help\` lists those of CONFIG's pipeline.${listing ? `\nPipelines with run flags:\n${listing}` : ''}`,
    );
    setErrorHint(command, "a pipeline's own flags are known once CONFIG is given: refinery run CONFIG --help");
  }
  return setAction(command, ctx, async (configPath: string, flags: RunFlags) => {
    const pipelineFlags = pipeline?.runFlags ? flagValues(command, pipeline.runFlags) : {};
    const result = await refinery.run({
      signal: interruptSignal(),
      configPath,
      set: flags.set ?? [],
      ...(!ownTask && flags.task !== undefined ? { taskFile: flags.task } : {}),
      ...(Object.keys(pipelineFlags).length > 0 ? { taskFlags: pipelineFlags } : {}),
      ...outputFor(flags, ctx),
    });
    return finish(result, flags, ctx);
  });
}

/**
 * The pipeline CONFIG runs, when the command line names a config (`refinery run CONFIG ...`): loads it (with
 * its `--set` overrides, which may change `graph:`). A config that does not load is reported as usual (exit 2).
 */
export async function runTarget(
  argv: readonly string[],
  refinery: Refinery,
  cwd: string,
): Promise<AnyPipelineDefinition | undefined> {
  const base = runCommand(refinery, createCliContext());
  const pipelineFlags = refinery.pipelines.all().flatMap((p) => (p.runFlags ? describeFlags(p.runFlags) : []));
  const { operand, set } = firstOperandOf(base, pipelineFlags, argv);
  if (operand === undefined) return undefined;
  const loaded = await refinery.loadConfig(resolve(cwd, operand), { set });
  return refinery.pipelines.get(loaded.config.graph);
}

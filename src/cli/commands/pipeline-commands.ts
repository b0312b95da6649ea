import { Command } from 'commander';
import type { Refinery } from '../../runtime/create-refinery.ts';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';
import type { AnyPipelineDefinition, PipelineCommand } from '../../runtime/pipeline-definition.ts';
import { parsePipelineFlags } from '../../runtime/pipeline-flags.ts';
import { type CliContext, setAction } from '../cli-context.ts';
import { addFlagOptions, flagValues } from '../flag-options.ts';
import { addFooter } from '../run-command-line.ts';

/** The verbs pipelines bring one sub-command each to (`refinery bench <pipeline>`), with their help line. */
type SharedVerb = Exclude<PipelineCommand['verb'], 'standalone'>;
const VERBS: Record<SharedVerb, string> = {
  bench: "a pipeline's own benchmark",
};

/** Each pipeline's commands of a shared verb, found through the registry (`refinery bench codet`). */
export function pipelineCommands(
  refinery: Refinery,
): { verb: SharedVerb; pipeline: AnyPipelineDefinition; command: PipelineCommand }[] {
  return refinery.pipelines
    .all()
    .flatMap((pipeline) =>
      (pipeline.commands ?? []).flatMap((command) =>
        command.verb === 'standalone' ? [] : [{ verb: command.verb, pipeline, command }],
      ),
    );
}

/**
 * `refinery <name> [flags]`: the top-level verbs pipelines bring (`standalone` commands, e.g. `refinery difftest`),
 * their flags and help generated from the command's flag schema like a bench's.
 */
export function standaloneCommands(refinery: Refinery, ctx: CliContext): Command[] {
  return refinery.pipelines.all().flatMap((pipeline) =>
    (pipeline.commands ?? []).flatMap((brought) => {
      if (brought.verb !== 'standalone' || !brought.name) return [];
      const name = brought.name;
      const command = new Command(name)
        .summary(brought.summary)
        .description(`${brought.summary} (brought by the ${pipeline.name} pipeline)`);
      addFlagOptions(command, brought.flags);
      if (brought.help) addFooter(command, brought.help);
      return [
        setAction(command, ctx, () => {
          const flags = parsePipelineFlags(brought.flags, flagValues(command, brought.flags), `refinery ${name}`);
          return brought.run(flags, { pipelines: refinery.pipelines, cwd: process.cwd() });
        }),
      ];
    }),
  );
}

/**
 * `refinery VERB PIPELINE [flags]`: one sub-command per pipeline that brings a VERB command, its flags and help
 * generated from the command's flag schema. The spine's CLI never names a pipeline.
 */
export function verbCommand(verb: SharedVerb, refinery: Refinery, ctx: CliContext): Command {
  const offering = pipelineCommands(refinery).filter((c) => c.verb === verb);
  const known = offering.map((c) => c.pipeline.name).join(', ') || '(none)';
  const command = new Command(verb)
    .summary(`${VERBS[verb]}: refinery ${verb} PIPELINE --help (pipelines: ${known})`)
    .description(`${VERBS[verb]}, brought by the pipeline.`)
    .argument('[PIPELINE]', `the pipeline: ${known}`);
  for (const { pipeline, command: brought } of offering)
    command.addCommand(broughtCommand(pipeline, brought, refinery, ctx));
  // Reached only when PIPELINE names no sub-command.
  return setAction(command, ctx, (name: string | undefined) => {
    ctx.stderr.write(
      `refinery ${verb}: unknown pipeline '${name ?? ''}' (pipelines with a ${verb} command: ${known})\n`,
    );
    return BAD_INPUT_EXIT_CODE;
  });
}

function broughtCommand(
  pipeline: AnyPipelineDefinition,
  brought: PipelineCommand,
  refinery: Refinery,
  ctx: CliContext,
): Command {
  const command = new Command(pipeline.name).summary(brought.summary).description(brought.summary);
  addFlagOptions(command, brought.flags);
  if (brought.help) addFooter(command, brought.help);
  return setAction(command, ctx, () => {
    const flags = parsePipelineFlags(
      brought.flags,
      flagValues(command, brought.flags),
      `refinery ${brought.verb} ${pipeline.name}`,
    );
    return brought.run(flags, { pipelines: refinery.pipelines, cwd: process.cwd() });
  });
}

import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Refinery } from '../../runtime/create-refinery.ts';
import type { AnyPipelineDefinition } from '../../runtime/pipeline-definition.ts';
import { describeFlags } from '../../runtime/pipeline-flags.ts';
import { type CliContext, createCliContext, setAction } from '../cli-context.ts';
import { firstOperandOf } from '../first-operand.ts';
import { addFlagOptions, flagValues } from '../flag-options.ts';
import { recordedGraph } from '../recorded-graph.ts';
import { addFooter, setErrorHint } from '../run-command-line.ts';
import { addOutputOptions, finish, interruptSignal, type OutputFlags, outputFor } from '../run-output.ts';
import { storeArgument, storedTrajectory, storeOption, withStore } from '../store-option.ts';

interface ReplayFlags extends OutputFlags {
  exec: 'live' | 'recorded';
  onDivergence: 'stop' | 'live';
  store?: string;
}

/**
 * `refinery replay TRAJECTORY [flags]`. The recorded pipeline may declare more flags (`replayFlags`, e.g. the
 * repo pipeline's `--repo PATH`): with `pipeline` given (found from TRAJECTORY by {@link replayTarget}), they are
 * added here, so `refinery replay TRAJECTORY --help` lists them.
 */
export function replayCommand(refinery: Refinery, ctx: CliContext, pipeline?: AnyPipelineDefinition): Command {
  const command = new Command('replay')
    .summary('re-run a recorded trajectory (docs/trajectory.md)')
    .description(
      'Re-run a recorded trajectory: model replies come from the recording; executions are rerun or recorded.',
    )
    .argument('<TRAJECTORY>', 'the recorded trajectory (JSONL; with --store, its run id)')
    .addOption(
      new Option('--exec <MODE>', 'rerun executions (live) or take their results from the recording (recorded)')
        .choices(['live', 'recorded'])
        .default('live'),
    )
    .addOption(
      new Option(
        '--on-divergence <MODE>',
        'at the first difference from the recording: stop (exit 20) or continue live',
      )
        .choices(['stop', 'live'])
        .default('stop'),
    )
    .addOption(storeOption());
  addOutputOptions(command);
  if (pipeline?.replayFlags)
    addFlagOptions(command, pipeline.replayFlags, `Flags of the ${pipeline.name} pipeline (graph: ${pipeline.name}):`);
  if (!pipeline) {
    const listing = refinery.pipelines
      .all()
      .filter((p) => p.replayFlags)
      .map(
        (p) =>
          `  ${p.name}: ${describeFlags(p.replayFlags!)
            .map((d) => d.flag)
            .join(' ')}`,
      )
      .join('\n');
    addFooter(
      command,
      `A pipeline may take more flags: \`refinery replay TRAJECTORY --help\` lists those of its pipeline.${listing ? `\nPipelines with replay flags:\n${listing}` : ''}`,
    );
    setErrorHint(
      command,
      "a pipeline's own flags are known once TRAJECTORY is given: refinery replay TRAJECTORY --help",
    );
  }
  return setAction(command, ctx, async (trajectoryPath: string, flags: ReplayFlags) => {
    const pipelineFlags = pipeline?.replayFlags ? flagValues(command, pipeline.replayFlags) : {};
    const replay = {
      trajectoryPath,
      exec: flags.exec,
      onDivergence: flags.onDivergence,
      ...(Object.keys(pipelineFlags).length > 0 ? { flags: pipelineFlags } : {}),
    };
    // With --store, TRAJECTORY is a run id: the recording comes from the store, and the replay's run goes there.
    const result =
      flags.store !== undefined
        ? await withStore(flags.store, async (store) =>
            refinery.run({
              signal: interruptSignal(),
              replay: { ...replay, trajectory: await storedTrajectory(store, trajectoryPath, 'refinery replay') },
              store,
              ...outputFor(flags, ctx),
            }),
          )
        : await refinery.run({ signal: interruptSignal(), replay, ...outputFor(flags, ctx) });
    return finish(result, flags, ctx);
  });
}

/**
 * The pipeline that recorded TRAJECTORY, when the command line names one (`refinery replay TRAJECTORY ...`;
 * with `--store`, the run id's trajectory in the store).
 */
export async function replayTarget(
  argv: readonly string[],
  refinery: Refinery,
  cwd: string,
): Promise<AnyPipelineDefinition | undefined> {
  const base = replayCommand(refinery, createCliContext());
  const pipelineFlags = refinery.pipelines.all().flatMap((p) => (p.replayFlags ? describeFlags(p.replayFlags) : []));
  const { operand } = firstOperandOf(base, pipelineFlags, argv);
  if (operand === undefined) return undefined;
  const location = storeArgument(argv);
  // A file's header line names the pipeline: the run reads and checks the whole trajectory once, later.
  const graph =
    location !== undefined
      ? (await withStore(location, (store) => storedTrajectory(store, operand, 'refinery replay'))).header.config[
          'graph'
        ]
      : recordedGraph(resolve(cwd, operand));
  return typeof graph === 'string' ? refinery.pipelines.get(graph) : undefined;
}

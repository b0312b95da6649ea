import { Command, Option } from 'commander';
import type { Refinery } from '../../runtime/create-refinery.ts';
import { trajectoryOfRun } from '../../runtime/resume-plan.ts';
import { type CliContext, setAction } from '../cli-context.ts';
import { finish, interruptSignal, type OutputFlags, outputFor } from '../run-output.ts';
import { storeOption, withStore } from '../store-option.ts';

interface ResumeFlags extends Omit<OutputFlags, 'trajectory'> {
  dir: string;
  store?: string;
}

/**
 * `refinery resume RUN_ID|TRAJECTORY`: continues a run killed (or cancelled) half way from its last checkpoint,
 * appending to its trajectory; model calls it had answered are answered from the trajectory, not sent again.
 */
export function resumeCommand(refinery: Refinery, ctx: CliContext): Command {
  const command = new Command('resume')
    .summary('continue a killed or cancelled run from its last checkpoint (docs/batch-and-resume.md)')
    .description(
      'Continue a run killed (kill -9, a crash) or cancelled half way, from its last completed node, appending to ' +
        'its trajectory. Model calls it had answered are taken from the trajectory, not sent again.',
    )
    .argument('<RUN>', 'a run id (its trajectory is <dir>/<RUN>.jsonl) or the path of a trajectory')
    .addOption(new Option('--dir <DIR>', 'where run trajectories are (the config key trajectory.dir)').default('runs'))
    .addOption(storeOption())
    .addOption(new Option('--quiet', 'no progress lines; only the final line and the status'))
    .addOption(
      new Option('--json', 'print every new trajectory event as one JSON line on stdout (no progress, no status line)'),
    );
  return setAction(command, ctx, async (run: string, flags: ResumeFlags) => {
    if (flags.store !== undefined) {
      // The run's trajectory and checkpoints are in the store: continue it there, from whichever machine.
      const result = await withStore(flags.store, (store) =>
        refinery.run({ signal: interruptSignal(), resume: { runId: run }, store, ...outputFor(flags, ctx) }),
      );
      return finish(result, flags, ctx);
    }
    const result = await refinery.run({
      signal: interruptSignal(),
      resume: { trajectoryPath: trajectoryOfRun(run, process.cwd(), flags.dir) },
      ...outputFor(flags, ctx),
    });
    return finish(result, flags, ctx);
  });
}

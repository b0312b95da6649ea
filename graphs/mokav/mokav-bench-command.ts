import type { AnyPipelineDefinition, PipelineCommand } from '../../src/runtime/pipeline-definition.ts';
import { type MokavBenchFlags, mokavBenchFlagsSchema } from './mokav-bench-flags.ts';
import type { MokavPipelineDeps } from './mokav-pipeline.ts';

/** `refinery bench mokav`: a released Mokav run replayed through the graph; DET figures, agreement and speed. */
export function createMokavBenchCommand(
  createPipeline: (deps: MokavPipelineDeps) => AnyPipelineDefinition,
): PipelineCommand {
  return {
    verb: 'bench',
    summary: 'Mokav DETs on a released run: pairs with a DET by round, verdict agreement, speed (docs/mokav.md)',
    flags: mokavBenchFlagsSchema,
    help:
      'Paths given as flags are relative to the current directory; the defaults, to the Refinery package. Prints the ' +
      'pairs with a DET, the cumulative curve by round, verdict counts, parse drops, agreement with the logged ' +
      'verdicts, wall time, program runs, the seconds spent in runs that reached the limit and the overhead beyond them.',
    run: async (flags, services) =>
      (await import('./run-mokav-bench.ts')).runMokavBench(flags as MokavBenchFlags, services, createPipeline),
  };
}

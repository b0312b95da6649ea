import type { AnyPipelineDefinition, PipelineCommand } from '../../src/runtime/pipeline-definition.ts';
import { type CodetBenchFlags, codetBenchFlagsSchema } from './codet-bench-flags.ts';
import type { CodetPipelineDeps } from './codet-pipeline.ts';

/**
 * `refinery bench codet`: every task through the CodeT graph on recorded samples; prints pass@k figures.
 * Takes the pipeline factory so the bench can bind one engine lease to every task's run.
 */
export function createCodetBenchCommand(
  createPipeline: (deps: CodetPipelineDeps) => AnyPipelineDefinition,
): PipelineCommand {
  return {
    verb: 'bench',
    summary: 'CodeT dual agreement on recorded samples: pass@k against the random baseline (docs/codet.md)',
    flags: codetBenchFlagsSchema,
    help: 'Paths given as flags are relative to the current directory; the defaults, to the Refinery package (the repository root in a checkout).',
    // The implementation (the engine, the runtime, LangGraph) loads when the bench runs, not with `refinery --help`.
    run: async (flags, services) =>
      (await import('./run-codet-bench.ts')).runBenchCodet(flags as CodetBenchFlags, services, createPipeline),
  };
}

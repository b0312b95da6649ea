import type { PipelineCommand } from '../../src/runtime/pipeline-definition.ts';
import { type MutapBenchFlags, mutapBenchFlagsSchema } from './mutap-bench-flags.ts';

/** `refinery bench mutap`: the released test files of a MuTAP slice scored against its mutants. */
export const mutapBenchCommand: PipelineCommand = {
  verb: 'bench',
  summary:
    "MuTAP mutation scores of the released test files, against the slice's mutants or generated ones (docs/mutap.md)",
  flags: mutapBenchFlagsSchema,
  help:
    "Prints, per variant, per task and in total: killed / survived / problematic / timeout, MuTAP's MS = K/(K+S) and " +
    'the clean MS (only suites that pass on their PUT), compared with the totals file when given; then wall time, ' +
    'the seconds spent in runs that hit the CPU limit and the overhead beyond them. Paths given as flags are relative ' +
    'to the current directory; the defaults, to the Refinery package (the repository root in a checkout).',
  run: async (flags, services) =>
    (await import('./run-mutap-bench.ts')).runBenchMutap(flags as MutapBenchFlags, services),
};

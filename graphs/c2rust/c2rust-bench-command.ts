import type { PipelineCommand } from '../../src/runtime/pipeline-definition.ts';
import { type C2RustBenchFlags, c2rustBenchFlagsSchema } from './c2rust-bench-flags.ts';

/** `refinery bench c2rust`: recorded translations through the graph, C-side checks for folders without one. */
export const c2rustBenchCommand: PipelineCommand = {
  verb: 'bench',
  summary:
    'C to Rust on task folders: builds, tests, stdout equality, unsafe counts, build/run seconds (docs/c2rust.md)',
  flags: c2rustBenchFlagsSchema,
  help:
    'A folder holding a recorded translation (rustmap_gpt4o.rs) is translated by the recorded model (whole-program ' +
    'units, no repair recorded); a folder without one gets the C checks (-O0/-O2/sanitizers against tests.json) and ' +
    "the analysis (its call graph against meta.json's callgraph_ref). --tasks is relative to the current directory; " +
    'the default, to the Refinery package.',
  run: async (flags, services) =>
    (await import('./run-c2rust-bench.ts')).runC2RustBench(flags as C2RustBenchFlags, services),
};

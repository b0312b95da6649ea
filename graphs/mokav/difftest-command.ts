import type { PipelineCommand } from '../../src/runtime/pipeline-definition.ts';
import { type DifftestFlags, difftestFlagsSchema } from './difftest-flags.ts';

/** `refinery difftest`: DETs between two commits of a Python repository, each written as a test file. */
export const difftestCommand: PipelineCommand = {
  verb: 'standalone',
  name: 'difftest',
  summary: 'find inputs on which a function differs between two commits; write each as a test (docs/mokav.md)',
  flags: difftestFlagsSchema,
  help:
    'Both revisions are checked out in temporary git worktrees (the working tree is untouched) and each runs in its ' +
    'own sandboxed process, twice per input: a difference that does not reproduce is flakiness, not a DET. Exit 0 ' +
    'when a DET was found and written, 1 when none was, 2 on bad input.',
  run: async (flags, services) => (await import('./run-difftest.ts')).runDifftest(flags as DifftestFlags, services),
};

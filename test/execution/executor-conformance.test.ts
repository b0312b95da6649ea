import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/execution/create-executor.ts';
import { RecordingExecutor } from '../../src/replay/recording-executor.ts';
import { StepRecorder } from '../../src/replay/step-recorder.ts';
import { describeExecutorConformance } from '../../src/testing/executor-conformance.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';
import { bubblewrapHere, sandboxHereLabel } from '../support/sandbox-under-test.ts';

const quiet = { onWarning: () => {} };

if (bubblewrapHere) {
  describeExecutorConformance('createExecutor, sandbox bwrap', () => createExecutor({ sandbox: 'bwrap', ...quiet }));
} else {
  // The bwrap suite cannot run here; what a config asking for bwrap gets instead is a clear refusal.
  describe('createExecutor, sandbox bwrap (bubblewrap unavailable: the conformance suite runs for the rlimit-only fallback only)', () => {
    it('refuses to create the executor, naming execution.sandbox', () => {
      expect(() => createExecutor({ sandbox: 'bwrap', ...quiet })).toThrow(
        "execution.sandbox is 'bwrap' but bubblewrap is not usable on this machine",
      );
    });
  });
}
describeExecutorConformance('createExecutor, rlimits only', () => createExecutor({ sandbox: 'none', ...quiet }));
// What the spine hands a pipeline: every run goes through the step recorder (here into a trajectory with no file).
describeExecutorConformance(
  `RecordingExecutor around createExecutor, sandbox auto (${sandboxHereLabel})`,
  () =>
    new RecordingExecutor(
      () => createExecutor({ sandbox: 'auto', ...quiet }),
      new StepRecorder(new TrajectoryWriter(null), () => 'conformance'),
    ),
  { languages: ['python'] },
);

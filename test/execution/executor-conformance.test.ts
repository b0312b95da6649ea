import { createExecutor } from '../../src/execution/create-executor.ts';
import { bubblewrapAvailable } from '../../src/execution/sandbox/sandbox-command.ts';
import { RecordingExecutor } from '../../src/replay/recording-executor.ts';
import { StepRecorder } from '../../src/replay/step-recorder.ts';
import { describeExecutorConformance } from '../../src/testing/executor-conformance.ts';
import { TrajectoryWriter } from '../../src/trajectory/trajectory-writer.ts';

const quiet = { onWarning: () => {} };

if (bubblewrapAvailable()) describeExecutorConformance('createExecutor, sandbox bwrap', () => createExecutor({ sandbox: 'bwrap', ...quiet }));
describeExecutorConformance('createExecutor, rlimits only', () => createExecutor({ sandbox: 'none', ...quiet }));
// What the spine hands a pipeline: every run goes through the step recorder (here into a trajectory with no file).
describeExecutorConformance(
  'RecordingExecutor around createExecutor',
  () => new RecordingExecutor(() => createExecutor({ sandbox: 'auto', ...quiet }), new StepRecorder(new TrajectoryWriter(null), () => 'conformance')),
  { languages: ['python'] },
);

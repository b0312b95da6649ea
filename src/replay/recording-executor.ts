import type { ExecutionRequest, ExecutionResult, Executor } from '../execution/execution-types.ts';
import type { StepRecorder } from './step-recorder.ts';

/** Routes every single-program execution through the step recorder (kind `exec`). */
export class RecordingExecutor implements Executor {
  constructor(
    private readonly inner: () => Executor,
    private readonly steps: StepRecorder,
  ) {}

  run(request: ExecutionRequest, options?: { signal?: AbortSignal }): Promise<ExecutionResult> {
    return this.steps.run('exec', request, () => this.inner().run(request, options));
  }
}

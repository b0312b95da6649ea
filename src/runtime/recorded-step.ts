import type { RunContext } from './run-context.ts';

/** See `RunContext.recordedStep`. */
export function recordedStep<TResult>(
  ctx: RunContext<any, any>,
  kind: string,
  request: unknown,
  run: () => Promise<TResult>,
): Promise<TResult> {
  return ctx.recordedStep(kind, request, run);
}

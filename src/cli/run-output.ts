import { type Command, Option } from 'commander';
import { DivergenceError } from '../replay/divergence-error.ts';
import { type ProgressReporter, silentProgress } from '../runtime/progress-reporter.ts';
import type { RunPipelineOptions, RunPipelineResult } from '../runtime/run-pipeline.ts';
import type { CliContext } from './cli-context.ts';
import { TerminalProgress } from './progress/terminal-progress.ts';

/** `--quiet`, `--json`, `--trajectory`: how `run` and `replay` report. */
export interface OutputFlags {
  quiet?: boolean;
  json?: boolean;
  trajectory?: string;
}

export function addOutputOptions(command: Command): Command {
  return command
    .addOption(new Option('--quiet', 'no progress lines; only the final line and the status'))
    .addOption(
      new Option('--json', 'print every trajectory event as one JSON line on stdout (no progress, no status line)'),
    )
    .addOption(
      new Option('--trajectory <PATH>', 'where to write the trajectory (default: <trajectory.dir>/<run-id>.jsonl)'),
    );
}

export function outputFor(
  flags: OutputFlags,
  ctx: CliContext,
): Pick<RunPipelineOptions, 'progress' | 'onTrajectory' | 'onWarning' | 'trajectoryPath'> {
  const warn = (message: string) => ctx.stderr.write(`warning: ${message}\n`);
  const trajectory = flags.trajectory !== undefined ? { trajectoryPath: flags.trajectory } : {};
  if (flags.json) {
    return {
      ...trajectory,
      progress: silentProgress,
      onWarning: warn,
      onTrajectory: (writer) => writer.onEvent((event) => ctx.stdout.write(`${JSON.stringify(event)}\n`)),
    };
  }
  const progress: ProgressReporter = flags.quiet
    ? { update() {}, finish: (line) => ctx.stderr.write(`${line}\n`) }
    : new TerminalProgress();
  return { ...trajectory, progress, onWarning: warn };
}

/** Prints how the run ended (on stderr) and returns its exit code. */
export function finish(result: RunPipelineResult, flags: OutputFlags, ctx: CliContext): number {
  const json = flags.json === true;
  if (result.error instanceof DivergenceError) ctx.stderr.write(`${divergenceReport(result.error)}\n`);
  else if (result.status === 'error' && result.error)
    ctx.stderr.write(`error: ${result.error.stack ?? result.error.message}\n`);
  // The progress line already named the problem, except under --json where progress is silent.
  else if (result.status === 'invalid-input' && result.error && json) ctx.stderr.write(`${result.error.message}\n`);
  if (!json) {
    ctx.stderr.write(`status: ${result.status} (exit ${result.exitCode})\n`);
    if (result.trajectoryPath) ctx.stderr.write(`trajectory: ${result.trajectoryPath}\n`);
  }
  return result.exitCode;
}

function divergenceReport(error: DivergenceError): string {
  return [
    `replay diverged: ${error.kind} step ${error.step}, node '${error.node}'`,
    '--- recorded',
    '+++ now',
    error.diff,
  ].join('\n');
}

/** Aborted by the first Ctrl-C: the run ends `cancelled` with its partial result; a second Ctrl-C kills. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort('interrupted (SIGINT)'));
  return controller.signal;
}

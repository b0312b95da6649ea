import { parseArgs } from 'node:util';
import { classifyError } from '../errors/classify-error.ts';
import { DivergenceError } from '../replay/divergence-error.ts';
import { BAD_INPUT_EXIT_CODE } from '../runtime/exit-status.ts';
import { silentProgress, type ProgressReporter } from '../runtime/progress-reporter.ts';
import type { Refinery } from '../runtime/create-refinery.ts';
import type { PipelineCommand } from '../runtime/pipeline-definition.ts';
import { pipelineChecks } from '../runtime/pipeline-checks.ts';
import type { RunPipelineOptions, RunPipelineResult } from '../runtime/run-pipeline.ts';
import { TaskError } from '../runtime/task-error.ts';
import { TerminalProgress } from './progress/terminal-progress.ts';
import { UsageError } from './usage-error.ts';
import { usage } from './usage.ts';

type SubCommand = (argv: string[], refinery: Refinery) => Promise<number>;
const lazy = (specifier: string, name: string): SubCommand => async (argv) => {
  const mod = (await import(specifier)) as Record<string, (argv: string[]) => Promise<number>>;
  return mod[name]!(argv);
};

const SUBCOMMANDS: Record<string, SubCommand> = {
  validate: async (argv, refinery) => {
    const { runValidateCommand } = await import('./commands/validate-command.ts');
    return runValidateCommand(argv, { graphs: pipelineChecks(refinery.pipelines) });
  },
  schema: lazy('./commands/schema-command.ts', 'runSchemaCommand'),
  exec: lazy('./commands/exec-command.ts', 'runExecCommand'),
  undo: lazy('./commands/undo-command.ts', 'runUndoCommand'),
};

/**
 * The `refinery` command line, for the pipelines of `refinery` (bin/refinery.mjs passes the shipped ones).
 * Commands a pipeline brings (`refinery bench codet`) are found through its registry, never named here.
 */
export async function main(argv: string[], refinery: Refinery): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, refinery);
      case 'replay':
        return await replayCommand(rest, refinery);
      case 'bench':
        return await pipelineCommand('bench', rest, refinery);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(usage(refinery));
        return command === undefined ? BAD_INPUT_EXIT_CODE : 0;
      default: {
        const sub = SUBCOMMANDS[command];
        if (sub) return await sub(rest, refinery);
        process.stderr.write(`refinery: unknown command '${command}'\n\n${usage(refinery)}`);
        return BAD_INPUT_EXIT_CODE;
      }
    }
  } catch (error) {
    return reportError(error);
  }
}

const OUTPUT_FLAGS = {
  quiet: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  trajectory: { type: 'string' },
} as const;

/** `refinery VERB PIPELINE [args]`: the command VERB that PIPELINE brings. */
async function pipelineCommand(verb: PipelineCommand['verb'], argv: string[], refinery: Refinery): Promise<number> {
  const [name, ...args] = argv;
  const offering = refinery.pipelines.all().filter((p) => p.commands?.some((c) => c.verb === verb));
  const command = refinery.pipelines.get(name ?? '')?.commands?.find((c) => c.verb === verb);
  if (!command) {
    const known = offering.map((p) => p.name).join(', ') || '(none)';
    process.stderr.write(`refinery ${verb}: unknown pipeline '${name ?? ''}' (pipelines with a ${verb} command: ${known})\n`);
    return BAD_INPUT_EXIT_CODE;
  }
  return command.run(args, { pipelines: refinery.pipelines, cwd: process.cwd() });
}

async function runCommand(argv: string[], refinery: Refinery): Promise<number> {
  const parsed = parseRunArgs(argv);
  const output = outputFor(parsed);
  const result = await refinery.run({
    signal: interruptSignal(),
    configPath: parsed.configPath,
    set: parsed.set,
    ...(parsed.task !== undefined ? { taskFile: parsed.task } : {}),
    ...(Object.keys(parsed.taskFlags).length ? { taskFlags: parsed.taskFlags } : {}),
    ...(parsed.trajectory !== undefined ? { trajectoryPath: parsed.trajectory } : {}),
    ...output,
  });
  return finish(result, parsed.json);
}

interface RunArgs {
  configPath: string;
  task?: string;
  set: string[];
  trajectory?: string;
  quiet: boolean;
  json: boolean;
  /** Flags the spine does not know (`--repo PATH`, `--test-cmd=CMD`), handed to the pipeline. */
  taskFlags: Record<string, string>;
}

/** `node:util` parseArgs cannot take values for options it does not know, so `run` parses its own argv. */
export function parseRunArgs(argv: string[]): RunArgs {
  const usage = 'usage: refinery run CONFIG --task FILE [--set key=value]...';
  const out: RunArgs = { configPath: '', set: [], quiet: false, json: false, taskFlags: {} };
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (name === 'quiet' || name === 'json') {
      if (eq !== -1) throw new TaskError('refinery run', `--${name}`, 'takes no value');
      out[name] = true;
      continue;
    }
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new TaskError('refinery run', `--${name}`, 'expects a value');
      value = next;
      i++;
    }
    if (name === 'set') out.set.push(value);
    else if (name === 'task') out.task = value;
    else if (name === 'trajectory') out.trajectory = value;
    else out.taskFlags[name] = value;
  }
  if (positionals.length !== 1) throw new TaskError('refinery run', 'CONFIG', usage);
  out.configPath = positionals[0]!;
  return out;
}

async function replayCommand(argv: string[], refinery: Refinery): Promise<number> {
  const { values, positionals } = UsageError.wrapParse('refinery replay', () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...OUTPUT_FLAGS, exec: { type: 'string', default: 'live' }, 'on-divergence': { type: 'string', default: 'stop' } },
    }),
  );
  const trajectoryPath = positionals[0];
  if (!trajectoryPath) throw new TaskError('refinery replay', 'TRAJECTORY', 'usage: refinery replay TRAJECTORY [--exec live|recorded] [--on-divergence stop|live]');
  const exec = values.exec;
  if (exec !== 'live' && exec !== 'recorded') throw new TaskError('refinery replay', '--exec', `must be 'live' or 'recorded', got '${exec}'`);
  const onDivergence = values['on-divergence'];
  if (onDivergence !== 'stop' && onDivergence !== 'live')
    throw new TaskError('refinery replay', '--on-divergence', `must be 'stop' or 'live', got '${onDivergence}'`);
  const result = await refinery.run({
    signal: interruptSignal(),
    replay: { trajectoryPath, exec, onDivergence },
    ...(values.trajectory !== undefined ? { trajectoryPath: values.trajectory } : {}),
    ...outputFor(values),
  });
  return finish(result, values.json === true);
}

function outputFor(values: { quiet?: boolean | undefined; json?: boolean | undefined }): Pick<RunPipelineOptions, 'progress' | 'onTrajectory' | 'onWarning'> {
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  if (values.json) {
    return {
      progress: silentProgress,
      onWarning: warn,
      onTrajectory: (writer) => writer.onEvent((event) => process.stdout.write(`${JSON.stringify(event)}\n`)),
    };
  }
  const progress: ProgressReporter = values.quiet ? { update() {}, finish: (line) => process.stderr.write(`${line}\n`) } : new TerminalProgress();
  return { progress, onWarning: warn };
}

function finish(result: RunPipelineResult, json: boolean): number {
  if (result.error instanceof DivergenceError) process.stderr.write(`${divergenceReport(result.error)}\n`);
  else if (result.status === 'error' && result.error) process.stderr.write(`error: ${result.error.stack ?? result.error.message}\n`);
  // The progress line already named the problem, except under --json where progress is silent.
  else if (result.status === 'invalid-input' && result.error && json) process.stderr.write(`${result.error.message}\n`);
  if (!json) {
    process.stderr.write(`status: ${result.status} (exit ${result.exitCode})\n`);
    if (result.trajectoryPath) process.stderr.write(`trajectory: ${result.trajectoryPath}\n`);
  }
  return result.exitCode;
}

function divergenceReport(error: DivergenceError): string {
  return [`replay diverged: ${error.kind} step ${error.step}, node '${error.node}'`, '--- recorded', '+++ now', error.diff].join('\n');
}

function reportError(error: unknown): number {
  const { status, exitCode } = classifyError(error);
  // Only the unexpected needs a stack; everything else is a message naming what to fix.
  if (status === 'error') process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return exitCode;
}

/** Aborted by the first Ctrl-C: the run ends `cancelled` with its partial result; a second Ctrl-C kills. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort('interrupted (SIGINT)'));
  return controller.signal;
}

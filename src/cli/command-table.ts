import type { Command } from 'commander';
import type { Refinery } from '../runtime/create-refinery.ts';
import { EXIT_CODES } from '../runtime/exit-status.ts';
import { pipelineChecks } from '../runtime/pipeline-checks.ts';
import type { AnyPipelineDefinition } from '../runtime/pipeline-definition.ts';
import type { CliContext } from './cli-context.ts';
import { batchCommand } from './commands/batch-command.ts';
import { contextCommand } from './commands/context.ts';
import { execCommand } from './commands/exec-command.ts';
import { pipelineCommands, standaloneCommands, verbCommand } from './commands/pipeline-commands.ts';
import { replayCommand } from './commands/replay-command.ts';
import { resumeCommand } from './commands/resume-command.ts';
import { runCommand } from './commands/run-command.ts';
import { schemaCommand } from './commands/schema-command.ts';
import { servicesCommand } from './commands/services.ts';
import { undoCommand } from './commands/undo-command.ts';
import { validateCommand } from './commands/validate-command.ts';
import { viewCommand } from './commands/view-command.ts';
import { workerCommand } from './commands/worker-command.ts';
import { refineryProgram } from './refinery-program.ts';

export interface CommandTableTargets {
  /** The pipeline of `refinery run CONFIG`: its `runFlags` join `run`. */
  run?: AnyPipelineDefinition;
  /** The pipeline of `refinery replay TRAJECTORY`: its `replayFlags` join `replay`. */
  replay?: AnyPipelineDefinition;
}

/**
 * The `refinery` command line: one table of commands whose definitions both parse the flags and generate
 * the help. The spine's commands, then the commands each registered pipeline brings (`bench <pipeline>`).
 */
export function commandTable(refinery: Refinery, ctx: CliContext, targets: CommandTableTargets = {}): Command {
  const program = refineryProgram();
  program.addCommand(runCommand(refinery, ctx, targets.run));
  program.addCommand(replayCommand(refinery, ctx, targets.replay));
  program.addCommand(resumeCommand(refinery, ctx));
  program.addCommand(batchCommand(refinery, ctx));
  program.addCommand(workerCommand(refinery, ctx));
  program.addCommand(validateCommand(ctx, { graphs: pipelineChecks(refinery.pipelines) }));
  program.addCommand(schemaCommand(ctx));
  program.addCommand(execCommand(ctx));
  program.addCommand(undoCommand(ctx));
  program.addCommand(viewCommand(ctx));
  program.addCommand(servicesCommand(ctx));
  program.addCommand(contextCommand(refinery, ctx));
  const verbs = [...new Set(pipelineCommands(refinery).map((c) => c.verb))];
  for (const verb of verbs) program.addCommand(verbCommand(verb, refinery, ctx));
  for (const command of standaloneCommands(refinery, ctx)) program.addCommand(command);

  program.addHelpText('after', () => programFooter(program, refinery));
  return program;
}

/** After the commands: those the pipelines bring, the pipelines, the exit codes; wrapped like the rest of the help. */
function programFooter(program: Command, refinery: Refinery): string {
  const help = program.createHelp();
  help.helpWidth = process.stdout.columns || 80;
  const brought = pipelineCommands(refinery).map((c) => [`${c.verb} ${c.pipeline.name}`, c.command.summary] as const);
  const width = Math.max(0, ...brought.map(([name]) => name.length));
  const exitCodes = Object.entries(EXIT_CODES)
    .sort(([, a], [, b]) => a - b)
    .map(([status, code]) => `${code} ${status}`)
    .join(', ');
  const lines = [
    '',
    ...(brought.length > 0
      ? [
          'Commands pipelines bring:',
          ...brought.map(([name, summary]) => help.formatItem(name, width, summary, help)),
          '',
        ]
      : []),
    help.boxWrap(`Pipelines: ${refinery.pipelines.names().join(', ')}`, help.helpWidth),
    '',
    help.boxWrap(`Exit codes: ${exitCodes}.`, help.helpWidth),
  ];
  return lines.join('\n');
}

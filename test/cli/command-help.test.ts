import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createCliContext } from '../../src/cli/cli-context.ts';
import { commandTable } from '../../src/cli/command-table.ts';
import { main } from '../../src/cli/main.ts';
import type { AnyPipelineDefinition, PipelineCommand } from '../../src/runtime/pipeline-definition.ts';
import { describeFlags } from '../../src/runtime/pipeline-flags.ts';
import { captureOutput as capture } from '../support/capture-output.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

/** Every command of the table, with the words that select it (`['bench', 'codet']`). */
function walk(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((sub) => [
    { path: [...path, sub.name()], command: sub },
    ...walk(sub, [...path, sub.name()]),
  ]);
}

const table = commandTable(shippedRefinery, createCliContext());
const commands = walk(table).filter(({ path }) => path[0] !== 'help');

describe('every flag a command accepts appears in its --help (the help is generated from the same definitions)', () => {
  it('walks the whole table, the spine commands and those the shipped pipelines bring', () => {
    expect(commands.map(({ path }) => path.join(' '))).toEqual(
      expect.arrayContaining(['run', 'replay', 'validate', 'schema', 'exec', 'undo', 'bench', 'bench codet']),
    );
  });

  it.each(commands.map(({ path, command }) => [path.join(' '), path, command] as const))(
    'refinery %s --help',
    async (_name, path, command) => {
      const { code, stdout } = await capture(() => main([...path, '--help'], shippedRefinery));
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: refinery ${path.join(' ')}`);
      for (const option of command.options) expect(stdout, option.long).toContain(option.flags);
      for (const argument of command.registeredArguments) expect(stdout).toContain(argument.name());
    },
  );

  it.each(
    commands
      .filter(({ command }) => command.commands.length === 0)
      .map(({ path, command }) => [path.join(' '), path, command] as const),
  )('refinery %s refuses a flag it does not declare (exit 2, naming it)', async (_name, path, command) => {
    // Commander reports a missing required flag first: give those.
    const required = command.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, o.argChoices?.[0] ?? 'x']);
    const { code, stderr } = await capture(() => main([...path, ...required, '--no-such-flag'], shippedRefinery));
    expect(code).toBe(2);
    expect(stderr).toContain(`refinery ${path.join(' ')}: unknown option '--no-such-flag'`);
  });

  it('the flags the old hand-written usage had dropped are in the help', async () => {
    const help = async (...argv: string[]) => (await capture(() => main([...argv, '--help'], shippedRefinery))).stdout;
    expect(await help('schema')).toContain('--markdown');
    expect(await help('validate')).toContain('--print');
    expect(await help('exec')).toContain('--sandbox <MODE>');
    const bench = await help('bench', 'codet');
    for (const flag of [
      '--problems',
      '--test-problems',
      '--solutions',
      '--tests',
      '--tasks',
      '--concurrency',
      '--out',
      '--json',
      '--config',
      '--set',
      '--timing-what-if',
    ])
      expect(bench).toContain(flag);
  });

  const pipelines = shippedRefinery.pipelines.all();
  it.each(pipelines.filter((p) => p.runFlags).map((p) => [p.name, p] as const))(
    "refinery run CONFIG --help for a %s config lists the pipeline's runFlags, and run accepts exactly those besides its own",
    (_name, pipeline) => {
      const run = commandTable(shippedRefinery, createCliContext(), { run: pipeline }).commands.find(
        (c) => c.name() === 'run',
      )!;
      const help = run.helpInformation();
      const declared = describeFlags(pipeline.runFlags!).map((d) => d.flag);
      for (const flag of declared) expect(help, flag).toContain(flag);
      const own = ['--set', '--quiet', '--json', '--trajectory', ...(declared.includes('--task') ? [] : ['--task'])];
      expect(run.options.map((o) => o.long).sort()).toEqual([...own, ...declared].sort());
    },
  );

  it.each(pipelines.filter((p) => p.replayFlags).map((p) => [p.name, p] as const))(
    "refinery replay TRAJECTORY --help for a %s trajectory lists the pipeline's replayFlags",
    (_name, pipeline) => {
      const replay = commandTable(shippedRefinery, createCliContext(), { replay: pipeline }).commands.find(
        (c) => c.name() === 'replay',
      )!;
      const help = replay.helpInformation();
      for (const d of describeFlags(pipeline.replayFlags!))
        expect(help, d.flag).toContain(`${d.flag} <${d.placeholder}>`);
    },
  );

  // a bench command is `refinery bench <pipeline>`; a standalone one is its own verb (`refinery difftest`)
  const commandLine = (c: PipelineCommand, p: AnyPipelineDefinition) =>
    c.verb === 'standalone' ? (c.name ?? '') : `${c.verb} ${p.name}`;
  it.each(pipelines.flatMap((p) => (p.commands ?? []).map((c) => [commandLine(c, p), c] as const)))(
    'refinery %s --help lists every flag of its schema',
    async (name, brought) => {
      const { stdout } = await capture(() => main([...name.split(' '), '--help'], shippedRefinery));
      for (const d of describeFlags(brought.flags))
        expect(stdout, d.flag).toContain(d.placeholder ? `${d.flag} <${d.placeholder}>` : d.flag);
    },
  );

  it('the repo config, named on the command line, brings the repo flags into `refinery run --help` and `refinery replay --help`', async () => {
    const run = await capture(() => main(['run', 'configs/repo.yaml', '--help'], shippedRefinery));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Flags of the repo pipeline[^\n]*\n\s+--repo <PATH>/);
    expect(run.stdout).toContain('--test-cmd <CMD>');
    const replay = await capture(() => main(['replay', 'fixtures/repo/python-stats.jsonl', '--help'], shippedRefinery));
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/--repo <PATH>\s+replay in this repository/);
  });
});

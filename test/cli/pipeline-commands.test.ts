import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../../src/cli/main.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import type { AnyPipelineDefinition, PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';
import { captureOutput as capture } from '../support/capture-output.ts';
import { inertPipeline } from '../support/inert-pipeline.ts';

/** A pipeline that brings a `bench` command and does nothing else: the CLI must find it by name. */
function pipelineWithBench(
  name: string,
  calls: { flags: Record<string, unknown>; services: PipelineCommandServices }[],
): AnyPipelineDefinition {
  return inertPipeline(name, {
    commands: [
      {
        verb: 'bench',
        summary: `benchmark of ${name}`,
        flags: z.object({
          tasks: z.number().int().positive().optional().meta({ placeholder: 'N', description: 'how many tasks' }),
          label: z.string().default('none').describe('a label for the report'),
          json: z.boolean().default(false).describe('print JSON'),
        }),
        run: async (flags, services) => {
          calls.push({ flags, services });
          return 7;
        },
      },
    ],
  });
}

describe('commands a pipeline brings are found through the registry the CLI is given', () => {
  const calls: { flags: Record<string, unknown>; services: PipelineCommandServices }[] = [];
  const refinery = createRefinery({ pipelines: [pipelineWithBench('alpha', calls)] });

  it("`refinery bench alpha ...` runs alpha's command with its flags checked by its schema, and returns its exit code", async () => {
    const { code } = await capture(() => main(['bench', 'alpha', '--tasks', '3', '--json'], refinery));
    expect(code).toBe(7);
    expect(calls.at(-1)?.flags).toEqual({ tasks: 3, label: 'none', json: true });
    expect(calls.at(-1)?.services.pipelines.names()).toEqual(['alpha']);
  });

  it('a bad flag value or an unknown flag exits 2 naming the flag, without running the command', async () => {
    const before = calls.length;
    const bad = await capture(() => main(['bench', 'alpha', '--tasks', 'many'], refinery));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('refinery bench alpha: --tasks:');
    expect(bad.stderr).not.toMatch(/^\s{4}at /m);
    const unknown = await capture(() => main(['bench', 'alpha', '--frobnicate'], refinery));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("refinery bench alpha: unknown option '--frobnicate'");
    expect(calls.length).toBe(before);
  });

  it('an unknown pipeline exits 2 and lists the pipelines that have a bench command', async () => {
    const { code, stderr } = await capture(() => main(['bench', 'codet'], refinery));
    expect(code).toBe(2);
    expect(stderr).toContain("unknown pipeline 'codet' (pipelines with a bench command: alpha)");
  });

  it('--help lists the registered pipelines and the commands they bring', async () => {
    const { code, stdout } = await capture(() => main(['--help'], refinery));
    expect(code).toBe(0);
    expect(stdout).toMatch(/bench alpha\s+benchmark of alpha/);
    expect(stdout).toContain('Pipelines: alpha');
    expect(stdout).not.toContain('bench codet');
  });

  it("`refinery bench alpha --help` is generated from the command's flag schema", async () => {
    const { code, stdout } = await capture(() => main(['bench', 'alpha', '--help'], refinery));
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: refinery bench alpha [--tasks <N>] [--label <LABEL>] [--json]');
    expect(stdout).toMatch(/--tasks <N>\s+how many tasks/);
    expect(stdout).toMatch(/--label <LABEL>\s+a label for the report \(default: "none"\)/);
  });
});

describe('a standalone verb a pipeline brings (`refinery difftest`)', () => {
  const calls: Record<string, unknown>[] = [];
  const refinery = createRefinery({
    pipelines: [
      inertPipeline('beta', {
        commands: [
          {
            verb: 'standalone',
            name: 'compare',
            summary: 'compare two things',
            flags: z.object({ base: z.string().meta({ placeholder: 'REV', description: 'the base revision' }) }),
            run: async (flags) => {
              calls.push(flags);
              return 5;
            },
          },
        ],
      }),
    ],
  });

  it('`refinery compare --base X` runs it with its flags checked, listed in --help, not under bench', async () => {
    const { code } = await capture(() => main(['compare', '--base', 'main'], refinery));
    expect(code).toBe(5);
    expect(calls.at(-1)).toEqual({ base: 'main' });
    const missing = await capture(() => main(['compare'], refinery));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('refinery compare');
    const help = await capture(() => main(['--help'], refinery));
    expect(help.stdout).toMatch(/compare \[options\]\s+compare two things/);
    expect(help.stdout).not.toContain('bench beta');
    const bench = await capture(() => main(['bench', 'beta'], refinery));
    expect(bench.code).toBe(2);
  });
});

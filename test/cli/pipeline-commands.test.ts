import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { main } from '../../src/cli/main.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import type { AnyPipelineDefinition, PipelineCommandServices } from '../../src/runtime/pipeline-definition.ts';

/** A pipeline that brings a `bench` command and does nothing else: the CLI must find it by name. */
function pipelineWithBench(name: string, calls: { argv: string[]; services: PipelineCommandServices }[]): AnyPipelineDefinition {
  return {
    name,
    description: 'test pipeline',
    optionsSchema: z.object({}),
    taskSchema: z.object({}),
    resultSchema: z.object({}),
    agents: [],
    start: () => {
      throw new Error('not run here');
    },
    result: () => ({}),
    verdict: () => ({ status: 'passed', summary: '' }),
    progressLine: () => '',
    commands: [
      {
        verb: 'bench',
        summary: `benchmark of ${name}`,
        usage: `usage: refinery bench ${name}`,
        run: async (argv, services) => {
          calls.push({ argv, services });
          return 7;
        },
      },
    ],
  };
}

async function capture(fn: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
  try {
    return { code: await fn(), stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('commands a pipeline brings are found through the registry the CLI is given', () => {
  const calls: { argv: string[]; services: PipelineCommandServices }[] = [];
  const refinery = createRefinery({ pipelines: [pipelineWithBench('alpha', calls)] });

  it('`refinery bench alpha ...` runs alpha\'s command with the remaining arguments and returns its exit code', async () => {
    const { code } = await capture(() => main(['bench', 'alpha', '--tasks', '3'], refinery));
    expect(code).toBe(7);
    expect(calls.at(-1)?.argv).toEqual(['--tasks', '3']);
    expect(calls.at(-1)?.services.pipelines.names()).toEqual(['alpha']);
  });

  it('an unknown pipeline exits 2 and lists the pipelines that have a bench command', async () => {
    const { code, stderr } = await capture(() => main(['bench', 'codet'], refinery));
    expect(code).toBe(2);
    expect(stderr).toContain("unknown pipeline 'codet' (pipelines with a bench command: alpha)");
  });

  it('--help lists the registered pipelines and the commands they bring', async () => {
    const { code, stdout } = await capture(() => main(['--help'], refinery));
    expect(code).toBe(0);
    expect(stdout).toMatch(/refinery bench alpha \[--help\]\s+benchmark of alpha/);
    expect(stdout).toContain('Pipelines: alpha');
    expect(stdout).not.toContain('bench codet');
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../../src/cli/main.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import type { AnyPipelineDefinition } from '../../src/runtime/pipeline-definition.ts';
import { TaskError } from '../../src/runtime/task-error.ts';
import { captureOutput as capture } from '../support/capture-output.ts';
import { inertPipeline } from '../support/inert-pipeline.ts';

/** A pipeline that stops in `taskFromFlags`, after recording what it was given. */
function pipeline(
  name: string,
  runFlags?: AnyPipelineDefinition['runFlags'],
  seen: Record<string, unknown>[] = [],
): AnyPipelineDefinition {
  return inertPipeline(name, {
    ...(runFlags
      ? {
          runFlags,
          taskFromFlags: (flags: Record<string, unknown>) => {
            seen.push(flags);
            throw new TaskError('refinery run', '', 'stopped by the test');
          },
        }
      : {}),
  });
}

const CONFIG = 'fixtures/configs/valid/minimal.yaml';
const seen: Record<string, unknown>[] = [];
const flags = z.object({
  repo: z.string().meta({ placeholder: 'PATH', description: 'the repository' }),
  testCmd: z.string().describe('the test command'),
  count: z.number().int().default(1).describe('how many'),
  verbose: z.boolean().default(false).describe('say more'),
});
const refinery = createRefinery({ pipelines: [pipeline('withflags', flags, seen), pipeline('plain')] });

describe("refinery run: the flags a pipeline declares (runFlags), found from CONFIG's graph", () => {
  it('are parsed in both --flag value and --flag=value forms, checked by the schema and handed to taskFromFlags', async () => {
    const { code, stderr } = await capture(() =>
      main(
        [
          'run',
          CONFIG,
          '--set',
          'graph=withflags',
          '--repo',
          '/src/app',
          '--test-cmd=npm test',
          '--count',
          '3',
          '--quiet',
        ],
        refinery,
      ),
    );
    expect(stderr).toContain('stopped by the test');
    expect(code).toBe(2);
    expect(seen.at(-1)).toEqual({ repo: '/src/app', testCmd: 'npm test', count: 3, verbose: false });
  });

  it('CONFIG may come after the flags', async () => {
    const { code } = await capture(() =>
      main(['run', '--repo', '/x', '--set', 'graph=withflags', '--test-cmd', 'true', '--verbose', CONFIG], refinery),
    );
    expect(code).toBe(2);
    expect(seen.at(-1)).toEqual({ repo: '/x', testCmd: 'true', count: 1, verbose: true });
  });

  it('a bad value, a missing required flag, and a flag of another pipeline exit 2 naming the flag, with no stack', async () => {
    const before = seen.length;
    const cases: [string[], string][] = [
      [['--repo', '/x', '--test-cmd', 'true', '--count', 'soon'], 'refinery run: --count:'],
      [['--repo', '/x'], "required option '--test-cmd <TEST_CMD>' not specified"],
      [['--set', 'graph=plain', '--task', 'x.json', '--repo', '/x'], "refinery run: unknown option '--repo'"],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await capture(() =>
        main(['run', CONFIG, '--set', 'graph=withflags', ...args], refinery),
      );
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(/^\s{4}at /m);
    }
    expect(seen.length).toBe(before);
  });

  it('`refinery run CONFIG --help` lists the pipeline of CONFIG and its flags; `refinery run --help` says how to see them', async () => {
    const withConfig = await capture(() => main(['run', CONFIG, '--set', 'graph=withflags', '--help'], refinery));
    expect(withConfig.code).toBe(0);
    expect(withConfig.stdout).toContain('Flags of the withflags pipeline (graph: withflags):');
    expect(withConfig.stdout).toMatch(/--repo <PATH>\s+the repository/);
    expect(withConfig.stdout).toMatch(/--count <COUNT>\s+how many \(default: 1\)/);
    const plain = await capture(() => main(['run', '--help'], refinery));
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('`refinery run CONFIG --help` lists those of');
    expect(plain.stdout).toContain('withflags: --repo --test-cmd --count --verbose');
    expect(plain.stdout).not.toContain('the repository');
  });
});

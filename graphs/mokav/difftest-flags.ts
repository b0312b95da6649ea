import { z } from 'zod';

export const DIFFTEST_CONFIG = 'configs/mokav-difftest.yaml';

/** `refinery difftest` flags: `refinery difftest --help` is generated from them. */
export const difftestFlagsSchema = z.object({
  repo: z.string().meta({ placeholder: 'PATH', description: 'the git repository (its working tree is not touched)' }),
  base: z.string().meta({ placeholder: 'REV', description: 'the original revision (P)' }),
  head: z.string().meta({ placeholder: 'REV', description: 'the patched revision (Q)' }),
  entry: z.string().meta({
    placeholder: 'MODULE:FUNCTION',
    description: 'the function to compare, e.g. pricing.discount:apply (module path relative to the repository root)',
  }),
  example: z.string().optional().meta({
    placeholder: 'ARGS',
    description: 'an input both revisions agree on, as a Python list of arguments, e.g. "[100, \'gold\']"',
  }),
  out: z.string().optional().meta({
    placeholder: 'DIR',
    description: 'where to write the test file of each DET found (default: the current directory)',
  }),
  pin: z
    .enum(['head', 'base'])
    .default('head')
    .meta({ description: 'whose behaviour the written test pins: it passes there and fails on the other revision' }),
  replies: z.string().optional().meta({
    placeholder: 'FILE',
    description:
      'recorded tester replies instead of the configured model: JSONL lines {"key": "MODULE:FUNCTION#ROUND", "samples": [...]}',
  }),
  config: z
    .string()
    .optional()
    .meta({ placeholder: 'FILE', description: `pipeline config (default ${DIFFTEST_CONFIG})` }),
  set: z.array(z.string()).default([]).meta({
    placeholder: 'key.path=value',
    description: 'config override, e.g. --set options.rounds=3 (repeatable)',
  }),
  json: z.boolean().default(false).meta({ description: 'print the result as one JSON object on stdout' }),
});

export type DifftestFlags = z.output<typeof difftestFlagsSchema>;

import { z } from 'zod';

/** The bench's default tasks, relative to the package root (the datasets sit next to the checkout). */
export const C2RUST_BENCH_DEFAULTS = { tasks: '../shared/datasets/c2rust/rosetta', config: 'configs/c2rust.yaml' };

/** `refinery bench c2rust` flags: `refinery bench c2rust --help` is generated from them. */
export const c2rustBenchFlagsSchema = z.object({
  tasks: z
    .string()
    .optional()
    .meta({
      placeholder: 'DIR',
      description: `task folders (one per task, each with main.c), or a folder of such folders (default ${C2RUST_BENCH_DEFAULTS.tasks})`,
    }),
  out: z.string().optional().meta({
    placeholder: 'DIR',
    description:
      'write DIR/summary.json and one trajectory per translated task in DIR/trajectories/ (replay them with refinery replay)',
  }),
  json: z.boolean().default(false).meta({ description: 'print the summary as one JSON object on stdout' }),
  concurrency: z.number().int().positive().default(4).meta({
    placeholder: 'N',
    description: 'tasks in flight (their builds and runs share two process slots whatever N is)',
  }),
  onDivergence: z.enum(['stop', 'live']).default('stop').meta({
    placeholder: 'stop|live',
    description:
      'when the recording has no reply (a repair): stop the task there with outcome no-recorded-reply, or ask the configured model',
  }),
  config: z
    .string()
    .optional()
    .meta({ placeholder: 'FILE', description: `pipeline config (default ${C2RUST_BENCH_DEFAULTS.config})` }),
  set: z.array(z.string()).default([]).meta({
    placeholder: 'key.path=value',
    description: 'config override, e.g. --set options.forbidUnsafe=true (repeatable)',
  }),
});

export type C2RustBenchFlags = z.output<typeof c2rustBenchFlagsSchema>;

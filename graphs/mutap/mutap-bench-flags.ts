import { z } from 'zod';

const DATA = '../shared/datasets/mutap';
/** The bench's inputs when no flag names them: relative to the package root (the datasets sit next to the checkout). */
export const MUTAP_BENCH_DEFAULTS = {
  tasks: `${DATA}/humaneval_dev.jsonl.gz`,
  totalsName: 'ms_dev_totals.json',
  perTaskName: 'ms_per_task_dev.csv',
  config: 'configs/mutap.yaml',
  configFewShot: 'configs/mutap-few-shot.yaml',
};

/** `refinery bench mutap` flags: `refinery bench mutap --help` is generated from them. */
export const mutapBenchFlagsSchema = z.object({
  tasks: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `MuTAP slice (JSONL, .gz read as gzip): PUTs, released mutants and test files (default ${MUTAP_BENCH_DEFAULTS.tasks})`,
    }),
  ids: z.string().optional().meta({
    placeholder: 'ID,...',
    description: 'only these tasks of the slice (comma-separated task numbers); default every task',
  }),
  totals: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `released totals to compare with, and the default variants (default: ${MUTAP_BENCH_DEFAULTS.totalsName} next to --tasks, when present)`,
    }),
  variant: z.array(z.string()).default([]).meta({
    placeholder: 'KEY',
    description:
      "a test-file variant, a key of the totals' totals_by_test_file (e.g. 'Codex/T_O_NDS_semticfixed_{t}.py'); repeatable; default all",
  }),
  mutants: z.enum(['released', 'generated', 'both']).default('released').meta({
    description:
      "score against the slice's MutPy mutants, Refinery's generated ones (with the operator-match table), or both side by side",
  }),
  baselineTasks: z.number().int().nonnegative().default(10).meta({
    placeholder: 'N',
    description:
      "speed: also run the first N tasks twice more, uncached: on the engine and in MuTAP's design (a fresh python3 per mutant × test file); 0: skip",
  }),
  run: z.enum(['zero-shot', 'few-shot']).optional().meta({
    description:
      'instead of scoring the released files: run the MuTAP graph on every task with the released Codex outputs of that prompt setting as the tester (default config configs/mutap.yaml or configs/mutap-few-shot.yaml)',
  }),
  out: z.string().optional().meta({
    placeholder: 'DIR',
    description: 'with --run: write one trajectory per task to DIR/trajectories/ (refinery replay replays each)',
  }),
  json: z.boolean().default(false).meta({ description: 'print the figures as one JSON object on stdout' }),
  config: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `pipeline config: execution settings and the CPU limit (default ${MUTAP_BENCH_DEFAULTS.config})`,
    }),
  set: z.array(z.string()).default([]).meta({
    placeholder: 'key.path=value',
    description: 'config override, e.g. --set execution.cache=false (repeatable)',
  }),
});

export type MutapBenchFlags = z.output<typeof mutapBenchFlagsSchema>;

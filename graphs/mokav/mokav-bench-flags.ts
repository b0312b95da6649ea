import { z } from 'zod';

const DATA = '../shared/datasets/mokav';
/** The released runs, by shipped config: the data each replays when no flag names it (relative to the package root). */
export const MOKAV_RELEASED_RUNS: Record<string, { pairs: string; candidates: string }> = {
  'mokav-aat': {
    pairs: `${DATA}/c4b_dev_pairs.jsonl.gz`,
    candidates: `${DATA}/c4b_dev_candidates_AAT_it1_n100_t1.jsonl.gz`,
  },
  'mokav-badti': {
    pairs: `${DATA}/c4b_dev_pairs.jsonl.gz`,
    candidates: `${DATA}/c4b_dev_candidates_BADTI_it10_n10_t1.jsonl.gz`,
  },
  'mokav-badtie': {
    pairs: `${DATA}/c4b_dev_pairs.jsonl.gz`,
    candidates: `${DATA}/c4b_dev_candidates_BADTIE_it10_n1_t0.jsonl.gz`,
  },
  'mokav-quixbugs': { pairs: `${DATA}/quixbugs`, candidates: `${DATA}/quixbugs/candidates_BADTIE_it10_n10_t1.jsonl` },
};
export const MOKAV_BENCH_DEFAULTS = {
  config: 'configs/mokav-badti.yaml',
  tests: `${DATA}/c4b_dev_problem_tests.json.gz`,
};

/** `refinery bench mokav` flags: `refinery bench mokav --help` is generated from them. */
export const mokavBenchFlagsSchema = z.object({
  config: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `pipeline config (default ${MOKAV_BENCH_DEFAULTS.config}); the shipped mokav-aat, mokav-badti, mokav-badtie and mokav-quixbugs configs also choose the released run's files`,
    }),
  pairs: z.string().optional().meta({
    placeholder: 'FILE|DIR',
    description: "C4B pairs (c4b_*_pairs.jsonl[.gz]) or a QuixBugs directory (default: the config's released run)",
  }),
  candidates: z.string().optional().meta({
    placeholder: 'FILE',
    description: "the released run's samples, answered per pair and round (default: the config's released run)",
  }),
  tests: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `official tests by problem, for --official (default ${MOKAV_BENCH_DEFAULTS.tests})`,
    }),
  summary: z.string().optional().meta({
    placeholder: 'FILE',
    description:
      'released per-run summary to compare with (default: the summary next to --candidates, when there is one)',
  }),
  official: z.boolean().default(false).meta({
    description: "also run each pair's official tests first (C4B): pairs they expose alone, and with the run",
  }),
  baseline: z.number().int().nonnegative().default(20).meta({
    placeholder: 'N',
    description:
      "Mokav's own design (a fresh python3 per sample, one after another) on the first N pairs' samples; 0: none",
  }),
  concurrency: z
    .number()
    .int()
    .positive()
    .default(8)
    .meta({ placeholder: 'N', description: 'pairs in flight, sharing one engine' }),
  workers: z.number().int().positive().default(1).meta({
    placeholder: 'N',
    description:
      "threads running the graph (default 1): N − 1 helper threads take pairs one at a time once they have loaded the graph, their executions on the bench's engine and cache; the figures are the same. From the sources (tsx) a helper needs seconds to load, more than a warm run of the dev slice lasts",
  }),
  pairsLimit: z.number().int().positive().optional().meta({ placeholder: 'N', description: 'only the first N pairs' }),
  out: z.string().optional().meta({
    placeholder: 'DIR',
    description:
      'write DIR/results.jsonl (one line per pair), DIR/summary.json and one trajectory per pair in DIR/trajectories/',
  }),
  json: z.boolean().default(false).meta({ description: 'print the figures as one JSON object on stdout' }),
  set: z.array(z.string()).default([]).meta({
    placeholder: 'key.path=value',
    description: 'config override, e.g. --set options.afterDet=all (repeatable)',
  }),
});

export type MokavBenchFlags = z.output<typeof mokavBenchFlagsSchema>;

import { z } from 'zod';

const DATA = '../shared/datasets/codet';
/** The bench's inputs when no flag names them: relative to the package root (the datasets sit next to the checkout). */
export const CODET_BENCH_DEFAULTS = {
  problems: `${DATA}/HumanEval_for_code_generation.jsonl`,
  solutions: `${DATA}/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl`,
  tests: `${DATA}/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_test_case.jsonl`,
  config: 'configs/codet.yaml',
};
export const TEST_PROBLEMS_NAME = 'HumanEval_for_test_case_generation.jsonl';

/** `refinery bench codet` flags: `refinery bench codet --help` is generated from them. */
export const codetBenchFlagsSchema = z.object({
  problems: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `code-generation tasks (task_id, prompt, entry_point, test); solutions join them by prompt (default ${CODET_BENCH_DEFAULTS.problems})`,
    }),
  testProblems: z
    .string()
    .optional()
    .meta({
      placeholder: 'FILE',
      description: `test-generation prompts the test samples join by prompt (default: ${TEST_PROBLEMS_NAME} next to --problems)`,
    }),
  solutions: z.string().optional().meta({
    placeholder: 'FILE',
    description: 'generated code, one {"prompt", "samples"} line per task (default: the released CodeGen file)',
  }),
  tests: z
    .string()
    .optional()
    .meta({ placeholder: 'FILE', description: 'generated tests, same format (default: the released CodeGen file)' }),
  tasks: z.string().optional().meta({
    placeholder: 'ID,...',
    description: 'only these task ids (comma-separated); default every task with solution samples',
  }),
  concurrency: z
    .number()
    .int()
    .positive()
    .default(8)
    .meta({ placeholder: 'N', description: 'tasks in flight, sharing one batch execution pool' }),
  out: z.string().optional().meta({
    placeholder: 'DIR',
    description: 'write DIR/results.jsonl, DIR/summary.json and one trajectory per task in DIR/trajectories/',
  }),
  json: z.boolean().default(false).meta({ description: 'print the summary as one JSON object on stdout' }),
  config: z
    .string()
    .optional()
    .meta({ placeholder: 'FILE', description: `pipeline config (default ${CODET_BENCH_DEFAULTS.config})` }),
  set: z.array(z.string()).default([]).meta({
    placeholder: 'key.path=value',
    description: 'config override, e.g. --set options.score=product (repeatable)',
  }),
  timingWhatIf: z
    .number()
    .min(1)
    .default(1)
    .meta({
      placeholder: 'S',
      description:
        'analysis only: also count as timed out every run whose measured duration times S reaches its limit (S = 1.5: as if on ' +
        "a machine 1.5 times slower). Figures under it are not CodeT's figures; they show how much of a difference from " +
        "another machine's figures timing explains",
    }),
});

export type CodetBenchFlags = z.output<typeof codetBenchFlagsSchema>;

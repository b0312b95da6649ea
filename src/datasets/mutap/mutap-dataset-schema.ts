import { z } from 'zod';

/** One released test file: its path in the task directory and its whole text. */
export const mutapTestFileSchema = z.object({ file: z.string(), content: z.string() });

/** A released MutPy mutant: the full mutated PUT. `operator` is null where the log entry could not be matched. */
export const mutapReleasedMutantSchema = z.object({
  name: z.string(),
  operator: z.string().nullable(),
  code: z.string(),
});

/** One line of the MuTAP slice (`../shared/datasets/mutap/humaneval_dev.jsonl.gz`; its README names the fields). */
export const mutapDatasetTaskSchema = z.object({
  task: z.string().min(1),
  /** The PUT without docstring: what MuTAP prompts with and mutates. */
  put: z.string(),
  put_with_docstring: z.string().optional(),
  mutants: z.array(mutapReleasedMutantSchema),
  /** Released test files by variant (`codex_zero_raw`, `codex_zero_initial`, `greedy_T_O_NDS`, ...). */
  tests: z.record(z.string(), mutapTestFileSchema),
  /** Raw augmentation outputs by prompt setting (`codex_zero`, `codex_few`), one per surviving mutant. */
  augmentation_outputs: z.record(z.string(), z.array(mutapTestFileSchema)).default({}),
});

export type MutapDatasetTask = z.infer<typeof mutapDatasetTaskSchema>;
export type MutapTestFile = z.infer<typeof mutapTestFileSchema>;

/** `ms_dev_totals.json`: released kill counts summed over a slice, per test file pattern. */
export const mutapTotalsSchema = z.object({
  tasks: z.array(z.string()),
  totals_by_test_file: z.record(
    z.string(),
    z.object({
      tasks_with_test: z.number().int(),
      killed: z.number().int(),
      survived: z.number().int(),
      problematic: z.number().int(),
      timeout: z.number().int(),
      MS_mutap: z.number().nullable().optional(),
    }),
  ),
});

export type MutapTotals = z.infer<typeof mutapTotalsSchema>;

import { z } from 'zod';

/** `options:` of a refine config. Documented in docs/tasks.md ("Refine loop options"). */
export const refineOptionsSchema = z
  .object({
    /** Run the planner once before the first coder call. */
    planner: z.boolean().default(true),
    /** Run the tester once (after the first parseable candidate) to write extra asserts. */
    tester: z.boolean().default(true),
    /** At most this many tester asserts are kept (after validation). */
    maxTesterTests: z.number().int().min(0).default(5),
    /** When true, a failing tester assert blocks acceptance like a visible test. Default: advisory only. */
    testerTestsBlock: z.boolean().default(false),
    /** `template`: deterministic feedback, no model call. `model`: the template facts plus the critic model's analysis. */
    critic: z.enum(['template', 'model']).default('template'),
    /** Per-test time limit inside the test program (the whole program is bounded by `execution.timeoutSec`). */
    testTimeoutSec: z.number().positive().default(2),
    /** Stop with `failed` after this many coder replies in a row without a Python code block. */
    maxParseFailures: z.number().int().positive().default(3),
    /** Stop with `failed` once the coder has resubmitted an already-failed candidate this many times. */
    maxRepeatedCandidates: z.number().int().positive().default(2),
    /** Run the task's hidden tests once on the accepted candidate (reported, never changes the status). */
    hiddenTests: z.boolean().default(true),
  })
  .strict();

export type RefineOptions = z.infer<typeof refineOptionsSchema>;

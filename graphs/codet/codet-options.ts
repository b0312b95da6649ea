import { z } from 'zod';
import { UNCOMPILABLE_TEST_POLICIES } from '../../src/execution/matrix/matrix-engine.ts';
import { FALLBACK_POLICIES, SCORE_FUNCTIONS, TIE_POLICIES } from '../../src/techniques/codet/codet-settings.ts';

/** `options:` of a `graph: codet` config (techniques §1.7 knobs). */
export const codetOptionsSchema = z
  .object({
    samples: z
      .object({
        /** Solution samples asked from the coder per task. */
        solutions: z.number().int().nonnegative().default(100),
        /** Test samples asked from the tester per task. */
        tests: z.number().int().nonnegative().default(100),
        /** Samples per model call (`n`); default all in one call. */
        perCall: z.number().int().positive().optional(),
      })
      .strict()
      .prefault({}),
    tests: z
      .object({ limitPerSample: z.number().int().positive().default(5) })
      .strict()
      .prefault({}),
    exec: z
      .object({
        perTestTimeoutSec: z.number().positive().default(0.1),
        /** Ground truth (evaluation only): one timer over the whole program. */
        groundTruthTimeoutSec: z.number().positive().default(0.1),
        /**
         * A test that compiles alone but not inside the harness function (HumanEval/68, /106, /143 have one).
         * `lose-vectors` keeps the reference's outcome: its one packed program fails to load, so every candidate
         * of the task loses its vector. `fail-test`: only that test fails.
         */
        uncompilableTests: z.enum(UNCOMPILABLE_TEST_POLICIES).default('lose-vectors'),
      })
      .strict()
      .prefault({}),
    score: z.enum(SCORE_FUNCTIONS).default('sqrt'),
    ties: z.enum(TIE_POLICIES).default('merge'),
    fallback: z.enum(FALLBACK_POLICIES).default('random'),
    evaluate: z
      .object({
        /** CodeT pass@k reported when the task carries ground truth. */
        k: z.array(z.number().int().positive()).default([1, 2, 10]),
        /** Random-baseline pass@k (unbiased estimator over all samples). */
        randomK: z.array(z.number().int().positive()).default([1, 10, 100]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CodetOptions = z.infer<typeof codetOptionsSchema>;

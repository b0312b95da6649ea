import { z } from 'zod';

const countsSchema = z.object({
  killed: z.number().int(),
  survived: z.number().int(),
  problematic: z.number().int(),
  timeout: z.number().int(),
});

/** A scored suite: the IUT (round 0) or the AUT after round r. */
export const mutapScoreSchema = z.object({
  round: z.number().int(),
  /** The suite's test file. */
  content: z.string(),
  asserts: z.number().int(),
  counts: countsSchema,
  /** MuTAP's MS, killed / (killed + survived); null when neither. */
  ms: z.number().nullable(),
  /** The suite on the unmutated PUT: `pass`, `fail_assert`, `error` or `timeout`. */
  suiteOnPut: z.enum(['pass', 'fail_assert', 'error', 'timeout']),
  /** MS counting this suite only if it passes on the PUT (null otherwise). */
  msClean: z.number().nullable(),
  /** Indices (into `mutants`) of the mutants that survived. */
  survivors: z.array(z.number().int()),
});

export const mutapResultSchema = z.object({
  taskId: z.string(),
  /** Why the test stage produced nothing to score (no assert survived the fixes), or null. */
  problem: z.string().nullable(),
  syntaxFix: z.object({ modelRepairs: z.number().int(), truncations: z.number().int() }).nullable(),
  oracleFix: z.object({ passed: z.number().int(), repaired: z.number().int(), dropped: z.number().int() }).nullable(),
  mutants: z.object({ source: z.enum(['task', 'generated']), count: z.number().int() }).nullable(),
  /** Round 0 is the IUT; round r ≥ 1 the AUT after r augmentation rounds. */
  scores: z.array(mutapScoreSchema),
  augmentationCalls: z.number().int(),
  minimised: z
    .object({ content: z.string(), asserts: z.number().int(), failsOn: z.number().int(), strategy: z.string() })
    .nullable(),
});

export type MutapResult = z.infer<typeof mutapResultSchema>;
export type MutapScore = z.infer<typeof mutapScoreSchema>;

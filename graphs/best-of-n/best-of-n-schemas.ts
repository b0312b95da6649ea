import { z } from 'zod';

/** A HumanEval-style task; refine's task files (fixtures/tasks/*.json) fit, their extra keys are ignored. */
export const bestOfNTaskSchema = z.object({
  id: z.string().min(1),
  prompt: z.string().min(1),
  entryPoint: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Python identifier'),
  visibleTests: z.array(z.string().trim().startsWith('assert')).min(1),
});

/** `options:` of a `graph: best-of-n` config. */
export const bestOfNOptionsSchema = z
  .object({
    /** At most this many samples, one model call each; the loop stops at the first that passes. */
    samples: z.number().int().positive().default(4),
    /** Per-test time limit inside the test program. */
    testTimeoutSec: z.number().positive().default(2),
  })
  .strict();

const candidateSchema = z.object({
  /** 1-based position among the samples. */
  index: z.number().int(),
  /** null when the reply held no Python code block. */
  code: z.string().nullable(),
  passed: z.number().int(),
  total: z.number().int(),
});

export const bestOfNResultSchema = z.object({
  taskId: z.string(),
  /** The candidate that passed every visible test (the last one tried), or null. */
  pick: candidateSchema.nullable(),
  candidates: z.array(candidateSchema),
});

export type BestOfNTask = z.infer<typeof bestOfNTaskSchema>;
export type BestOfNOptions = z.infer<typeof bestOfNOptionsSchema>;
export type BestOfNCandidate = z.infer<typeof candidateSchema>;
export type BestOfNResult = z.infer<typeof bestOfNResultSchema>;

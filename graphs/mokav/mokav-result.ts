import { z } from 'zod';
import { pyValueSchema } from '../../src/techniques/mokav/python-value.ts';
import { verdictSchema } from '../../src/techniques/mokav/verdicts.ts';

const valueTextsSchema = z.object({ str: z.string(), repr: z.string() });

/** One tester sample: its parsed input (null: dropped, with the reason) and its verdict (null: not run). */
export const mokavCandidateSchema = z.object({
  /** 0-based round, as in Mokav's logs. */
  round: z.number().int(),
  sample: z.number().int(),
  input: pyValueSchema.nullable(),
  dropped: z.string().optional(),
  verdict: verdictSchema.nullable(),
  patchedOutput: valueTextsSchema.optional(),
  originalOutput: valueTextsSchema.optional(),
  error: z.string().optional(),
});
export type MokavCandidate = z.infer<typeof mokavCandidateSchema>;

/** Distinct runs executed now and answered from the cache; runs executed now that reached the limit, and their seconds. */
export const mokavRunsSchema = z.object({
  executed: z.number().int(),
  cached: z.number().int(),
  timeouts: z.number().int(),
  timeoutSeconds: z.number(),
});
export type MokavRuns = z.infer<typeof mokavRunsSchema>;

export const mokavResultSchema = z.object({
  id: z.string(),
  /** The first DET: its round (1-based, as in the released summaries), sample, input and both outputs. */
  det: z
    .object({
      round: z.number().int(),
      sample: z.number().int(),
      input: pyValueSchema,
      patchedOutput: valueTextsSchema.optional(),
      originalOutput: valueTextsSchema.optional(),
    })
    .nullable(),
  /** Tester calls made. */
  rounds: z.number().int(),
  verdicts: z.record(z.string(), z.number().int()),
  /** Replies that gave no input (parse drops). */
  dropped: z.number().int(),
  candidates: z.array(mokavCandidateSchema),
  runs: mokavRunsSchema,
});
export type MokavResult = z.infer<typeof mokavResultSchema>;

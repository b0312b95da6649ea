import { z } from 'zod';

/**
 * Sampling parameters of a model call: the one source of `ModelParams`, of the `params` keys of a pipeline
 * config (models and agents) and of their descriptions in `refinery schema`.
 */
export const modelParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature.'),
    topP: z.number().gt(0).max(1).optional().describe('Nucleus sampling mass.'),
    maxTokens: z.number().int().positive().optional().describe('Cap on generated tokens per call.'),
    stop: z.array(z.string()).optional().describe('Stop sequences.'),
    n: z.number().int().positive().optional().describe('Completions per call.'),
    seed: z.number().int().optional().describe('Sampling seed, where the provider supports one.'),
  })
  .strict();

export type ModelParams = z.infer<typeof modelParamsSchema>;

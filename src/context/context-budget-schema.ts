import { z } from 'zod';
import { type ContextBudget, DEFAULT_CONTEXT_BUDGET } from './select-context.ts';
import { DEFAULT_TOKENIZER, TOKENIZERS } from './text-measure.ts';

/** Each pair: a budget in characters or in tokens, never both. */
const BUDGET_PAIRS = [
  ['fileChars', 'fileTokens'],
  ['mapChars', 'mapTokens'],
] as const;

/**
 * How much repository context one agent call is shown, in characters or in tokens. A pipeline that shows
 * repository context keeps it under `options.context` (the repo pipeline does), which is where
 * `refinery context --config` reads it. A pair given neither key gets its character default; a token budget is
 * counted with `tokenizer` (js-tiktoken, loaded only when a token budget is set).
 */
export const contextBudgetSchema = z
  .object({
    /** File contents: whole files, outlines and line ranges of large files. Default 48000. */
    fileChars: z.number().int().positive().optional(),
    /** File contents in tokens, instead of `fileChars`. */
    fileTokens: z.number().int().positive().optional(),
    /** The repository map: the next files by rank, with their top-level definitions. Default 4000. */
    mapChars: z.number().int().nonnegative().optional(),
    /** The repository map in tokens, instead of `mapChars`. */
    mapTokens: z.number().int().nonnegative().optional(),
    /** The encoding token budgets are counted in. Default o200k_base. */
    tokenizer: z.enum(TOKENIZERS).optional(),
  })
  .strict()
  .superRefine((budget, ctx) => {
    for (const [chars, tokens] of BUDGET_PAIRS) {
      if (budget[chars] !== undefined && budget[tokens] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [tokens],
          message: `give ${chars} or ${tokens}, not both (one budget per section)`,
        });
      }
    }
  })
  .transform((budget): ContextBudget => {
    const inTokens = budget.fileTokens !== undefined || budget.mapTokens !== undefined;
    return {
      ...(budget.fileTokens !== undefined
        ? { fileTokens: budget.fileTokens }
        : { fileChars: budget.fileChars ?? DEFAULT_CONTEXT_BUDGET.fileChars }),
      ...(budget.mapTokens !== undefined
        ? { mapTokens: budget.mapTokens }
        : { mapChars: budget.mapChars ?? DEFAULT_CONTEXT_BUDGET.mapChars }),
      ...(inTokens ? { tokenizer: budget.tokenizer ?? DEFAULT_TOKENIZER } : {}),
    };
  });

export type ContextBudgetOptions = z.output<typeof contextBudgetSchema>;

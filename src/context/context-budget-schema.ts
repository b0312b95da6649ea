import { z } from 'zod';
import { DEFAULT_CONTEXT_BUDGET } from './select-context.ts';

/**
 * How much repository context one agent call is shown, in characters. A pipeline that shows repository context
 * keeps it under `options.context` (the repo pipeline does), which is where `refinery context --config` reads it.
 */
export const contextBudgetSchema = z
  .object({
    /** File contents: whole files, outlines and line ranges of large files. */
    fileChars: z.number().int().positive().default(DEFAULT_CONTEXT_BUDGET.fileChars),
    /** The repository map: the next files by rank, with their top-level definitions. */
    mapChars: z.number().int().nonnegative().default(DEFAULT_CONTEXT_BUDGET.mapChars),
  })
  .strict();

export type ContextBudgetOptions = z.infer<typeof contextBudgetSchema>;

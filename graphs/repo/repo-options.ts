import { z } from 'zod';
import { contextBudgetSchema } from '../../src/context/context-budget-schema.ts';

/** `options:` of a repo config. Documented in docs/repo-runs.md. */
export const repoOptionsSchema = z
  .object({
    /** Coder iterations (edit, run tests, critique) before the run stops with `failed`. */
    maxIterations: z.number().int().positive().default(4),
    /** Let the tester add or extend tests once, before the first coder iteration. */
    tester: z.boolean().default(true),
    /**
     * When an iteration is accepted and committed. `tests-pass`: the test command exits 0.
     * `tests-pass-all-edits-applied`: and every edit block of that iteration applied.
     */
    acceptance: z.enum(['tests-pass', 'tests-pass-all-edits-applied']).default('tests-pass'),
    /** The critic is shown at most half this many bytes of the diff. */
    maxFileBytes: z.number().int().positive().default(48_000),
    /** Characters of repository context one agent call is shown (docs/repo-context.md). */
    context: contextBudgetSchema.default({ fileChars: 48_000, mapChars: 4_000 }),
    /** At most this many paths in the file tree shown to the planner. */
    maxTreeEntries: z.number().int().positive().default(400),
    /** Cap on test output captured per run of the test command. */
    maxTestOutputBytes: z.number().int().positive().default(24_000),
    /**
     * Let the planner and coder explore the worktree with tools (search, open a line range, list a folder,
     * definitions and references) through the provider's tool-calling API before they answer.
     */
    tools: z.boolean().default(true),
    /** Rounds of tool calls per planner or coder call; the next request asks for the answer without tools. */
    maxToolRounds: z.number().int().nonnegative().default(8),
  })
  .strict();

export type RepoOptions = z.infer<typeof repoOptionsSchema>;

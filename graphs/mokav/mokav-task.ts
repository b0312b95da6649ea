import { z } from 'zod';
import { REPLY_FORMATS } from '../../src/techniques/mokav/parse-candidate-input.ts';
import { pyValueSchema } from '../../src/techniques/mokav/python-value.ts';

/** A version of the program: its source (exec'd into a fresh namespace) or a module of a revision (difftest). */
export const subjectSchema = z.union([
  z
    .object({
      source: z.string(),
      function: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'must be a Python name'),
      /** The code's file name in tracebacks ('<patched>'): how a crash is placed in Q or in P. */
      filename: z.string().min(1),
    })
    .strict(),
  z
    .object({
      /** A revision's Python files by relative path (difftest): each version runs in its own process. */
      files: z.record(z.string(), z.string()),
      module: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'must be a dotted module name'),
      function: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'must be a Python name'),
    })
    .strict(),
]);

/** One Mokav pair: P (the original, e.g. the rejected submission) and Q (the patched, accepted one). */
export const mokavTaskSchema = z
  .object({
    /** The pair's key: `problem_id,author` for C4B, the program name for QuixBugs. */
    id: z.string().min(1),
    original: subjectSchema,
    patched: subjectSchema,
    /** Shown in the prompts (the code the tester reads); default: the subject's source. */
    originalCode: z.string().optional(),
    patchedCode: z.string().optional(),
    /** The example input (I), in the candidate-input form: the first official test (a string for C4B). */
    exampleInput: pyValueSchema.nullable().default(null),
    /** How replies become inputs: `inputdata-string` (C4B) or `whole-literal` (QuixBugs). */
    replyFormat: z.enum(REPLY_FORMATS).default('inputdata-string'),
    /** Replay of a recording that stopped earlier than `options.rounds` (Mokav's May-2024 code did, rarely). */
    rounds: z.number().int().positive().optional(),
  })
  .strict();

export type MokavTask = z.infer<typeof mokavTaskSchema>;
export type Subject = z.infer<typeof subjectSchema>;

import { z } from 'zod';

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A refine task (HumanEval style, Python first). `visibleTests` are shown to every agent and decide `passed`;
 * `hiddenTests` are never shown to an agent and are only run once on the accepted candidate, for the report.
 * Documented in docs/tasks.md.
 */
export const refineTaskSchema = z
  .object({
    id: z.string().min(1),
    language: z.literal('python').default('python'),
    /** Imports, the function signature and its docstring: what a HumanEval prompt holds. */
    prompt: z.string().min(1),
    /** Name of the function under test; the prompt must define it. */
    entryPoint: z.string().regex(PYTHON_IDENTIFIER, 'must be a Python identifier'),
    /** One `assert` statement per entry, each run on its own. */
    visibleTests: z.array(z.string().trim().startsWith('assert', 'each test must be an assert statement')).min(1),
    hiddenTests: z.array(z.string().trim().startsWith('assert', 'each test must be an assert statement')).default([]),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((task, ctx) => {
    if (!new RegExp(`^def\\s+${task.entryPoint}\\s*\\(`, 'm').test(task.prompt))
      ctx.addIssue({
        code: 'custom',
        path: ['prompt'],
        message: `the prompt must define \`def ${task.entryPoint}(\` at column 0`,
      });
  });

export type RefineTask = z.infer<typeof refineTaskSchema>;

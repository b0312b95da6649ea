import { z } from 'zod';

/** One CodeT task: a spec the coder completes and the tester writes asserts for. */
export const codetTaskSchema = z
  .object({
    taskId: z.string().min(1),
    /** Code-generation prompt (imports, signature, docstring); programs are `prompt + completion`. */
    prompt: z.string(),
    entryPoint: z.string().min(1),
    /** Test-generation prompt ending in `assert `; default: derived from `prompt` (see `testPromptFor`). */
    testPrompt: z.string().optional(),
    /** Evaluation only: HumanEval-style `test` code defining `check(candidate)`. */
    groundTruth: z.object({ test: z.string() }).strict().optional(),
    /** Per-task sample counts, overriding `options.samples` (replay of recordings with other counts). */
    samples: z
      .object({
        solutions: z.number().int().nonnegative().optional(),
        tests: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CodetTask = z.infer<typeof codetTaskSchema>;

/** CodeT's test prompt: the spec with a `pass` body, a comment naming the function, and an open `assert `. */
export function testPromptFor(task: CodetTask): string {
  return task.testPrompt ?? `${task.prompt}    pass\n\n# check the correctness of ${task.entryPoint}\nassert `;
}

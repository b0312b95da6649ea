import { z } from 'zod';

/** A mutant handed to the run (the released MutPy mutants of a slice task): the whole mutated PUT. */
export const mutapGivenMutantSchema = z
  .object({
    source: z.string().min(1),
    operator: z.string().nullable().optional(),
    name: z.string().optional(),
  })
  .strict();

/** One MuTAP task: a program under test (PUT) to write a unit test for. */
export const mutapTaskSchema = z
  .object({
    id: z.string().min(1),
    /** The PUT's source, docstring removed (what the prompts show and the mutants change). */
    put: z.string().min(1),
    /** Mutants to score against (`options.mutants: task`); without them the run generates its own. */
    mutants: z.array(mutapGivenMutantSchema).optional(),
    /**
     * Replays of recorded outputs only: at most this many augmentation calls in the whole run (a recording holds one
     * output per mutant that survived when it was made, and the released j → mutant mapping is lost).
     */
    maxAugmentations: z.number().int().nonnegative().optional(),
  })
  .strict();

export type MutapTask = z.infer<typeof mutapTaskSchema>;
export type MutapGivenMutant = z.infer<typeof mutapGivenMutantSchema>;

/** The record key of the tester's augmentation calls (the initial call uses the task id). */
export const augmentRecordKey = (id: string) => `${id}#augment`;

import { z } from 'zod';

/** `options:` of a `graph: mutap` config (techniques §3.2 stages; §5 for more than one augmentation round). */
export const mutapOptionsSchema = z
  .object({
    /** Stage 2a: model repairs of a test file that does not parse, before truncation (the paper: up to 3; 0 = off). */
    syntaxRepairs: z.number().int().nonnegative().default(0),
    /** Stage 3: how the left-hand side's value is written into a repaired oracle. */
    oraclePrinting: z.enum(['repr', 'print']).default('repr'),
    /** Stage 4: `task` scores against the task's mutants when it has some (else generated); `generated` always generates. */
    mutants: z.enum(['task', 'generated']).default('task'),
    /** Stage 6: augmentation rounds. The paper runs one; more rounds continue on the new survivors (§5). */
    rounds: z.number().int().nonnegative().default(1),
    /** Stage 6: at most this many survivors get an augmentation call per round (default: every survivor). */
    survivorsPerRound: z.number().int().positive().optional(),
    /** Stage 8: greedy minimisation of the final suite: MuTAP's sort-once walk, marginal-gain set cover, or none. */
    minimise: z.enum(['sort-once', 'set-cover', 'none']).default('sort-once'),
    /** MuTAP's limit per program run (10 s), as CPU time: the load on the machine cannot flip a verdict. */
    cpuLimitSec: z.number().positive().default(10),
    /**
     * Wall-clock ceiling per run, for programs that sleep or block. Generous, so that on a loaded machine a run
     * reaches its CPU limit before this ceiling (a run at 10 % of a core needs 100 s of wall for 10 s of CPU).
     */
    wallLimitSec: z.number().positive().default(120),
  })
  .strict();

export type MutapOptions = z.infer<typeof mutapOptionsSchema>;

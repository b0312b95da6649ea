import { z } from 'zod';

/**
 * A candidate's verdict (techniques §2.4 step 4). DET: Q and P both returned and the values differ (`==`). A crash
 * of either (SystemExit included) or a timeout is never a DET. ERROR_IN_Q: Q did not load or raised (P is not
 * run); ERROR_IN_P: Q returned, P did not load or raised; TIMEOUT: the one limit for both ran out; ERROR: anything
 * else (the call itself failed, e.g. a wrong number of arguments, the comparison raised, the process died);
 * HARNESS_EXCEPTION: the input cannot be made into arguments (see `callArguments`), nothing ran.
 */
export const VERDICTS = ['DET', 'SAME', 'ERROR_IN_Q', 'ERROR_IN_P', 'TIMEOUT', 'ERROR', 'HARNESS_EXCEPTION'] as const;
export const verdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof verdictSchema>;

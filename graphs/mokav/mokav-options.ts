import { z } from 'zod';
import { parseLetters } from '../../src/techniques/mokav/config-letters.ts';
import { HISTORY_CHAR_LIMIT } from '../../src/techniques/mokav/truncate-history.ts';

/** `options:` of a `graph: mokav` config (techniques §2.3-2.4). The released runs differ only in letters, n, R, t. */
export const mokavOptionsSchema = z
  .object({
    /** Mokav's configuration letters: BA or AA, then any of D, T, I, E (BADTIE is Mokav, AAT Differential Prompting). */
    letters: z
      .string()
      .default('BADTIE')
      .superRefine((text, ctx) => {
        const parsed = parseLetters(text);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
      }),
    /** R: tester calls per pair (1 initial prompt + R-1 feedback rounds). */
    rounds: z.number().int().positive().default(10),
    /** n: samples per tester call. */
    samples: z.number().int().positive().default(10),
    /** One CPU-time limit for Q then P on one input (RLIMIT_CPU): machine load cannot flip a verdict. */
    limitSec: z.number().positive().default(5),
    /**
     * Wall ceiling of one call, for programs that sleep or block. Well above the CPU limit, so that a loaded machine
     * (a CPU-bound call getting a fraction of a core) cannot turn a run under the CPU limit into a TIMEOUT.
     */
    wallLimitSec: z.number().positive().default(30),
    /** Joined message texts above this drop the oldest turns after the first (Mokav: 39,000 characters). */
    historyChars: z.number().int().positive().default(HISTORY_CHAR_LIMIT),
    /**
     * `stop`: a round's samples run in order, and none after the first DET (Mokav's May-2024 code; their logged
     * verdicts are null); `all`: every sample runs (Mokav's HEAD).
     */
    afterDet: z.enum(['stop', 'all']).default('stop'),
    /** With `afterDet: stop`, samples sent to the engine at once (they run in parallel). */
    chunk: z.number().int().positive().default(4),
  })
  .strict();

export type MokavOptions = z.output<typeof mokavOptionsSchema>;

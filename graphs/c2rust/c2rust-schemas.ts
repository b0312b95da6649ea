import { z } from 'zod';
import { UNSAFE_CATEGORIES } from '../../src/techniques/c2rust/unsafe-census.ts';

const programTestSchema = z.object({
  /** Standard input (CodeNet's stdin tier gets `input + "\n"`). */
  stdin: z.string().optional(),
  /** Command-line arguments (CodeNet's argv tier: `input` split on whitespace). */
  args: z.array(z.string()).optional(),
  /** The recorded output, compared line-stripped; without it the C program's output is the only oracle. */
  expected: z.string().optional(),
});

/** A C program to translate: its sources (`main.c` and its own headers) and its program-level tests. */
export const c2rustTaskSchema = z.object({
  id: z.string().min(1),
  files: z
    .record(z.string(), z.string())
    .refine((files) => typeof files['main.c'] === 'string', { message: 'must hold main.c' }),
  /** No tests: one run with empty stdin and no arguments, the C program's stdout as the oracle (Rosetta). */
  tests: z.array(programTestSchema).default([]),
  /** `lines-stripped`: stdout+stderr, each line stripped (CodeNet); `exact-stdout`: byte-for-byte stdout (Rosetta). */
  comparison: z.enum(['lines-stripped', 'exact-stdout']).default('lines-stripped'),
});

/** `options:` of a `graph: c2rust` config. */
export const c2rustOptionsSchema = z
  .object({
    /** `scc`: one unit per strongly connected component, callees first; `program`: the whole program as one unit. */
    units: z.enum(['scc', 'program']).default('scc'),
    /** Coder attempts per unit (the first translation and its compile repairs); SACTOR uses 6. */
    maxBuildAttempts: z.number().int().positive().default(6),
    /** Repairs after a differential-test mismatch. */
    maxTestRepairs: z.number().int().nonnegative().default(3),
    /** `#![forbid(unsafe_code)]`: any unsafe becomes compile feedback. */
    forbidUnsafe: z.boolean().default(false),
    /** Wall-clock limit of one program run (C or Rust), seconds. */
    runTimeoutSec: z.number().positive().default(10),
    /**
     * When -O0, -O2 and the sanitizers disagree (undefined behaviour) or the C output differs from the recorded one:
     * `stop` reports the task and does not translate it (§4 stage 9); `continue` reports it and tests against the
     * -O0 output anyway (the bench measures released translations this way).
     */
    onUntrustedOracle: z.enum(['stop', 'continue']).default('stop'),
    /** Compiler errors shown to the coder per repair. */
    feedbackErrors: z.number().int().positive().default(3),
  })
  .strict();

export const OUTCOMES = [
  'passed',
  'tests-failed',
  'unit-failed',
  'no-recorded-reply',
  'c-preprocess-failed',
  'c-build-failed',
  'c-disagrees',
  'no-main',
  'no-oracle',
] as const;

const unsafeSchema = z.object({
  categories: z.object(
    Object.fromEntries(UNSAFE_CATEGORIES.map((c) => [c, z.number().int()])) as Record<
      (typeof UNSAFE_CATEGORIES)[number],
      z.ZodNumber
    >,
  ),
  unsafeBlocks: z.number().int(),
  unsafeFns: z.number().int(),
  unsafeLines: z.number().int(),
  lines: z.number().int(),
  staticMutItems: z.number().int(),
  rawPointerTypes: z.number().int(),
});

export const c2rustResultSchema = z.object({
  taskId: z.string(),
  /** How the run ended, in the pipeline's terms (`passed` only when every test matches the C program). */
  outcome: z.enum(OUTCOMES).nullable(),
  message: z.string(),
  units: z.array(
    z.object({
      index: z.number().int(),
      functions: z.array(z.string()),
      attempts: z.number().int(),
      built: z.boolean(),
    }),
  ),
  /** The C oracle: `ok` (the three builds agree on every test), why not, or `unavailable` (the C does not preprocess). */
  cOracle: z.enum(['ok', 'c-build-failed', 'c-disagrees', 'unavailable']).nullable(),
  /** The last complete crate built (null: no complete crate was built or tried). */
  rustBuilds: z.boolean().nullable(),
  /** The first complete crate's build, before any repair of it (the no-repair figure). */
  firstBuild: z.boolean().nullable(),
  tests: z.object({ passed: z.number().int(), total: z.number().int() }).nullable(),
  /** Every test's output equals the C program's at the first differential run (before test repairs). */
  firstTestsEqual: z.boolean().nullable(),
  /** The first test of the last differential run that did not match: how it ended, expected and actual output. */
  firstFailure: z.object({ ending: z.string().nullable(), expected: z.string(), actual: z.string() }).nullable(),
  unsafe: unsafeSchema.nullable(),
  modelCalls: z.number().int(),
  repairs: z.object({ build: z.number().int(), test: z.number().int() }),
  timing: z.object({ buildMs: z.number(), runMs: z.number() }),
  /** Non-blank lines of the final crate's Rust over those of the C sources (null without a crate). */
  lineRatio: z.number().nullable(),
  /** The final crate's `src/main.rs`. */
  crate: z.string().nullable(),
});

/** `refinery run configs/c2rust.yaml --c-dir DIR`: the task from a task folder instead of a JSON task file. */
export const c2rustRunFlagsSchema = z.object({
  cDir: z.string().min(1).optional().meta({
    placeholder: 'DIR',
    description:
      'a task folder as in ../shared/datasets/c2rust: main.c (and its headers), tests.json ({input, output}), meta.json (input_mode: stdin or argv)',
  }),
});

export type C2RustTask = z.output<typeof c2rustTaskSchema>;
export type C2RustOptions = z.output<typeof c2rustOptionsSchema>;
export type C2RustResult = z.output<typeof c2rustResultSchema>;
export type C2RustOutcome = (typeof OUTCOMES)[number];

import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type ProcessOutcome, runProcess } from '../process/run-process.ts';
import { createWorkingDirectory } from '../process/working-directory.ts';
import { resolveToolchain } from '../toolchain.ts';
import { MutationEngineError } from './mutation-engine-error.ts';

const MUTATE_SCRIPT = fileURLToPath(new URL('./mutate.py', import.meta.url));

/** The helper reads text only (it never runs the program it mutates): no rlimits, a generous wall clock. */
const HELPER_LIMITS = { wallMs: 300_000, outputBytes: 256 * 1_048_576 } as const;

const parseErrorSchema = z.object({
  message: z.string(),
  line: z.number().int().nullable().optional(),
  column: z.number().int().nullable().optional(),
});
export type HelperParseError = z.infer<typeof parseErrorSchema>;

const failedSchema = z.object({ ok: z.literal(false), error: parseErrorSchema });

export const helperMutantSchema = z.object({
  operator: z.string(),
  line: z.number().int().positive(),
  source: z.string(),
  /** 'splice': the original text with the smallest edit; 'unparse': printed with ast.unparse (see mutate.py). */
  emitted: z.enum(['splice', 'unparse']),
});
export type HelperMutant = z.infer<typeof helperMutantSchema>;

const mutateReplySchema = z.object({
  results: z.array(
    z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), mutants: z.array(helperMutantSchema) }), failedSchema]),
  ),
});
const normaliseReplySchema = z.object({
  results: z.array(
    z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), normalised: z.string() }), failedSchema]),
  ),
});

export type HelperRequest =
  | { op: 'mutate'; sources: readonly string[]; operators: readonly string[] }
  | { op: 'normalise'; sources: readonly string[] };
export type MutateResults = z.infer<typeof mutateReplySchema>['results'];
export type NormaliseResults = z.infer<typeof normaliseReplySchema>['results'];

export interface HelperOptions {
  /** Interpreter (>= 3.9); default: the python3 that runs the tests (resolveToolchain('python')). */
  python?: string;
  signal?: AbortSignal;
}

export function runMutationHelper(
  request: Extract<HelperRequest, { op: 'mutate' }>,
  options?: HelperOptions,
): Promise<MutateResults>;
export function runMutationHelper(
  request: Extract<HelperRequest, { op: 'normalise' }>,
  options?: HelperOptions,
): Promise<NormaliseResults>;
/**
 * One python3 process of mutate.py for a whole batch of sources, through the process layer (own process group,
 * scrubbed environment, a temporary working directory removed afterwards). One result per source, in order.
 */
export async function runMutationHelper(
  request: HelperRequest,
  options: HelperOptions = {},
): Promise<MutateResults | NormaliseResults> {
  if (request.sources.length === 0) return [];
  const toolchain = await resolveToolchain('python');
  const python = options.python ?? toolchain.tools.python3 ?? 'python3';
  const workdir = await createWorkingDirectory();
  try {
    let outcome: ProcessOutcome;
    try {
      outcome = await runProcess({
        argv: [python, '-I', '-B', MUTATE_SCRIPT],
        workdir: workdir.path,
        sandbox: 'none',
        limits: HELPER_LIMITS,
        pathPrefix: toolchain.pathPrefix,
        stdin: JSON.stringify(request),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new MutationEngineError(python, `could not start: ${(error as Error).message}`);
    }
    if (outcome.timedOut) throw new MutationEngineError(python, `no answer within ${HELPER_LIMITS.wallMs / 1000} s`);
    if (outcome.exitCode !== 0 || outcome.stdoutTruncated) {
      const how = outcome.stdoutTruncated
        ? 'its answer was too long'
        : `exited with ${outcome.signal ?? outcome.exitCode}`;
      throw new MutationEngineError(python, how, outcome.stderr);
    }
    let json: unknown;
    try {
      json = JSON.parse(outcome.stdout);
    } catch (error) {
      throw new MutationEngineError(python, `unreadable answer: ${(error as Error).message}`, outcome.stderr);
    }
    const parsed = (request.op === 'mutate' ? mutateReplySchema : normaliseReplySchema).safeParse(json);
    if (!parsed.success || parsed.data.results.length !== request.sources.length) {
      throw new MutationEngineError(python, 'answer does not have one result per source');
    }
    return parsed.data.results;
  } finally {
    await workdir.dispose();
  }
}

import { normalizeLinesStripped, type OutputComparison, outputMatches } from '../../techniques/c2rust/output-match.ts';
import type { ExecutionLimits } from '../execution-types.ts';
import { buildRustCrate } from './build-rust-crate.ts';
import type { C2RustWorkbench } from './c2rust-workbench.ts';
import type { OracleTest } from './check-c-oracle.ts';
import { abnormalEnding } from './program-test.ts';
import { runBuiltProgram } from './run-built-program.ts';

export interface DifferentialResult {
  stdin?: string;
  args?: string[];
  passed: boolean;
  /** The oracle's output and the Rust program's, as compared (line-stripped, or raw stdout). */
  expected: string;
  actual: string;
  /** How the Rust run ended when not normally (timeout, panic, signal). */
  ending?: string;
  durationMs: number;
}

/**
 * The whole-program differential test (§4 stage 9): the crate's binary (built, or from the store) runs every
 * test the C oracle answered; a test passes when its output equals the C program's (and so the recorded one).
 */
export async function runDifferentialTests(
  bench: C2RustWorkbench,
  crate: Record<string, string>,
  oracle: readonly OracleTest[],
  comparison: OutputComparison,
  limits: ExecutionLimits,
  signal?: AbortSignal,
): Promise<{ built: boolean; results: DifferentialResult[] }> {
  const build = await buildRustCrate(bench, crate, signal);
  if (!build.ok) return { built: false, results: [] };
  const results = await Promise.all(
    oracle.map(async (test) => {
      const run = await runBuiltProgram(bench, build, test, limits, signal ? { signal } : {});
      const exact = comparison === 'exact-stdout';
      const ending = abnormalEnding(run, limits.wallMs);
      const passed =
        !run.timedOut &&
        outputMatches(comparison, run, exact ? { stdout: test.stdout } : { stdout: test.stdout, stderr: test.stderr });
      return {
        ...(test.stdin !== undefined ? { stdin: test.stdin } : {}),
        ...(test.args !== undefined ? { args: test.args } : {}),
        passed,
        expected: exact ? test.stdout : normalizeLinesStripped(test.stdout, test.stderr),
        actual: exact ? run.stdout : normalizeLinesStripped(run.stdout, run.stderr),
        ...(ending ? { ending } : {}),
        durationMs: run.durationMs,
      };
    }),
  );
  return { built: true, results };
}

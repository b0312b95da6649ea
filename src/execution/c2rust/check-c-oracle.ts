import { normalizeLinesStripped, type OutputComparison } from '../../techniques/c2rust/output-match.ts';
import type { ExecutionLimits } from '../execution-types.ts';
import { buildCProgram, C_BUILDS, type CBuildName } from './build-c-program.ts';
import type { C2RustWorkbench } from './c2rust-workbench.ts';
import type { ProgramRun, ProgramTest } from './program-test.ts';
import { runBuiltProgram } from './run-built-program.ts';

/** The C side's verdict per test: what -O0 printed (the oracle), and whether the three builds and the recording agree. */
export interface OracleTest {
  stdin?: string;
  args?: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** -O0, -O2 and the sanitizer build gave the same output and exit code. */
  buildsAgree: boolean;
  /** The -O0 output equals the recorded one; null when the test records none. */
  matchesRecorded: boolean | null;
}

export type COracle =
  | { status: 'ok'; tests: OracleTest[] }
  | { status: 'c-build-failed' | 'c-disagrees'; message: string; tests: OracleTest[] };

/** ASan reserves terabytes of address space: the sanitizer build runs without the address-space limit. */
const SANITIZER_MEMORY_MB = 64 * 1024 * 1024;

/**
 * Builds the C program three ways and runs every test in each (§4 stage 9): the oracle is trusted only when all
 * three agree on every test (and match the recorded outputs, when the tests record them); otherwise the task is
 * reported, not translated.
 */
export async function checkCOracle(
  bench: C2RustWorkbench,
  files: Record<string, string>,
  tests: readonly ProgramTest[],
  comparison: OutputComparison,
  limits: ExecutionLimits,
  signal?: AbortSignal,
): Promise<COracle> {
  const names = Object.keys(C_BUILDS) as CBuildName[];
  const builds = await Promise.all(names.map((name) => buildCProgram(bench, files, name, signal)));
  const failed = builds.findIndex((b) => !b.ok);
  if (failed >= 0) {
    const build = builds[failed]!;
    return {
      status: 'c-build-failed',
      message: `gcc ${C_BUILDS[names[failed]!].join(' ')} failed: ${build.ok ? '' : build.message}`,
      tests: [],
    };
  }
  const same = (a: ProgramRun, b: ProgramRun) =>
    a.exitCode === b.exitCode &&
    !a.timedOut &&
    !b.timedOut &&
    (comparison === 'exact-stdout'
      ? a.stdout === b.stdout
      : normalizeLinesStripped(a.stdout, a.stderr) === normalizeLinesStripped(b.stdout, b.stderr));
  const results = await Promise.all(
    tests.map(async (test): Promise<OracleTest> => {
      const runs = await Promise.all(
        builds.map((build, i) =>
          build.ok
            ? runBuiltProgram(
                bench,
                build,
                test,
                names[i] === 'sanitizers' ? { ...limits, memoryMb: SANITIZER_MEMORY_MB } : limits,
                {
                  ...(names[i] === 'sanitizers'
                    ? { env: { ASAN_OPTIONS: 'detect_leaks=0', UBSAN_OPTIONS: 'print_stacktrace=0' } }
                    : {}),
                  ...(signal ? { signal } : {}),
                },
              )
            : Promise.reject(new Error('unreachable')),
        ),
      );
      const [o0, o2, san] = runs as [ProgramRun, ProgramRun, ProgramRun];
      return {
        ...(test.stdin !== undefined ? { stdin: test.stdin } : {}),
        ...(test.args !== undefined ? { args: test.args } : {}),
        stdout: o0.stdout,
        stderr: o0.stderr,
        exitCode: o0.exitCode,
        buildsAgree: same(o0, o2) && same(o0, san),
        matchesRecorded:
          test.expected === undefined ? null : normalizeLinesStripped(o0.stdout, o0.stderr) === test.expected,
      };
    }),
  );
  const disagree = results.filter((t) => !t.buildsAgree).length;
  const unrecorded = results.filter((t) => t.matchesRecorded === false).length;
  if (disagree > 0 || unrecorded > 0) {
    const parts = [
      disagree > 0
        ? `${disagree} of ${results.length} test(s) behave differently across -O0, -O2 and the sanitizers (undefined behaviour?)`
        : '',
      unrecorded > 0 ? `${unrecorded} of ${results.length} test(s) do not give the recorded output` : '',
    ].filter(Boolean);
    return { status: 'c-disagrees', message: `the C oracle cannot be trusted: ${parts.join('; ')}`, tests: results };
  }
  return { status: 'ok', tests: results };
}

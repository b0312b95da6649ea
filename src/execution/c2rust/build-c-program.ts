import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildDiagnostic } from '../../techniques/c2rust/c2rust-feedback.ts';
import { compileLimits } from '../execution-limits.ts';
import { parseGccDiagnostics } from '../verdict/compile-diagnostics.ts';
import type { C2RustWorkbench } from './c2rust-workbench.ts';
import { stepKey, toolVersion } from './c2rust-workbench.ts';

/** The three builds the oracle must agree across (§4 stage 9): -O0, -O2, and ASan + UBSan. */
export const C_BUILDS = {
  O0: ['-O0'],
  O2: ['-O2'],
  sanitizers: ['-O1', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'],
} as const;
export type CBuildName = keyof typeof C_BUILDS;

export type CBuild =
  | { ok: true; hash: string; path: string; language: 'c' }
  | { ok: false; diagnostics: BuildDiagnostic[]; message: string };

/** gcc at one of the oracle's settings; the binary is kept by content hash, the verdict cached. */
export async function buildCProgram(
  bench: C2RustWorkbench,
  files: Record<string, string>,
  build: CBuildName,
  signal?: AbortSignal,
): Promise<CBuild> {
  const hash = stepKey('gcc', await toolVersion('c'), JSON.stringify(files), JSON.stringify(C_BUILDS[build]));
  const path = bench.binaryPath(hash);
  // One gcc step; the binary is kept by content hash when it built.
  const gcc = () =>
    bench.step(
      'build',
      {
        language: 'c',
        files,
        argv: (toolchain) => [
          toolchain.tools.gcc ?? 'gcc',
          '-fdiagnostics-format=json',
          '-std=gnu17',
          '-w',
          ...C_BUILDS[build],
          '-o',
          'main',
          ...Object.keys(files).filter((f) => f.endsWith('.c')),
          '-lm',
        ],
        limits: compileLimits,
        collect: async (workdir, result) => {
          if (result.exitCode === 0 && existsSync(join(workdir, 'main')))
            await bench.keepBinary(join(workdir, 'main'), hash);
        },
      },
      signal,
    );
  const cached = await bench.cached(`${hash}:verdict`, async () => {
    const outcome = await gcc();
    if (outcome.exitCode === 0) return { ok: true as const };
    const diagnostics = parseGccDiagnostics(outcome.stderr) as BuildDiagnostic[];
    const first = diagnostics.find((d) => d.level === 'error');
    return {
      ok: false as const,
      diagnostics,
      message: first?.message ?? (outcome.timedOut ? 'gcc timed out' : 'gcc failed'),
    };
  });
  if (!cached.ok) return cached;
  // The verdict was cached but the binary is gone (a cleaned store): build again, uncached.
  if (!existsSync(path)) await gcc();
  return { ok: true, hash, path, language: 'c' };
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildDiagnostic } from '../../techniques/c2rust/c2rust-feedback.ts';
import { compileLimits } from '../execution-limits.ts';
import { forbiddenDependencies } from '../languages/cargo-manifest-check.ts';
import { parseCargoOutput } from '../verdict/compile-diagnostics.ts';
import type { C2RustWorkbench } from './c2rust-workbench.ts';
import { stepKey, toolVersion } from './c2rust-workbench.ts';

export const CRATE_NAME = 'translated';

/** The crate's files: a std-only manifest (no `[dependencies]`: nothing can be fetched), `src/main.rs`, modules. */
export function crateFiles(mainRs: string, modules: Record<string, string> = {}): Record<string, string> {
  const manifest = [
    '[package]',
    `name = "${CRATE_NAME}"`,
    'version = "0.1.0"',
    'edition = "2021"',
    '',
    '[profile.release]',
    'debug = false',
    'incremental = false',
    '',
  ].join('\n');
  return {
    'Cargo.toml': manifest,
    'src/main.rs': mainRs,
    ...Object.fromEntries(Object.entries(modules).map(([name, text]) => [`src/${name}.rs`, text])),
  };
}

export type RustBuild =
  | { ok: true; hash: string; path: string; language: 'rust'; warnings: number }
  | { ok: false; hash: string; diagnostics: BuildDiagnostic[] };

/**
 * `cargo build --offline --release --message-format=json` on the crate (`cargo check` in `check` mode: the
 * diagnostics without code generation, for a crate still missing units), in a fresh working directory
 * (CARGO_HOME inside it, CARGO_NET_OFFLINE=true). The verdict and diagnostics are cached by the files' hash and
 * the toolchain's version; the binary is kept in the store by the same hash.
 */
export async function buildRustCrate(
  bench: C2RustWorkbench,
  files: Record<string, string>,
  signal?: AbortSignal,
  mode: 'build' | 'check' = 'build',
): Promise<RustBuild> {
  const hash = stepKey(mode === 'build' ? 'cargo' : 'cargo-check', await toolVersion('rust'), JSON.stringify(files));
  const forbidden = forbiddenDependencies(files['Cargo.toml'] ?? '');
  if (forbidden.length > 0) return { ok: false, hash, diagnostics: forbidden as BuildDiagnostic[] };
  const build = () =>
    bench.step(
      'build',
      {
        language: 'rust',
        files,
        argv: (toolchain) => [
          toolchain.tools.cargo ?? 'cargo',
          mode,
          '--offline',
          '--release',
          '--message-format=json',
        ],
        env: (workdir) => ({
          CARGO_HOME: join(workdir, '.cargo-home'),
          CARGO_NET_OFFLINE: 'true',
          CARGO_TERM_COLOR: 'never',
        }),
        limits: compileLimits,
        collect: async (workdir, outcome) => {
          const binary = join(workdir, 'target', 'release', CRATE_NAME);
          if (outcome.exitCode === 0 && existsSync(binary)) await bench.keepBinary(binary, hash);
        },
      },
      signal,
    );
  const verdict = await bench.cached(`${hash}:verdict`, async () => {
    const outcome = await build();
    const report = parseCargoOutput(outcome.stdout, outcome.stderr);
    const diagnostics = report.diagnostics.map(({ level, code, message, file, line, column, snippet }) => ({
      level,
      message,
      ...(code ? { code } : {}),
      ...(file ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
      ...(snippet ? { snippet } : {}),
    }));
    if (outcome.timedOut) diagnostics.push({ level: 'error', message: 'cargo build exceeded the compile time limit' });
    const ok = outcome.exitCode === 0 && !outcome.timedOut;
    return {
      ok,
      diagnostics: ok ? [] : diagnostics,
      warnings: diagnostics.filter((d) => d.level === 'warning').length,
    };
  });
  if (!verdict.ok) return { ok: false, hash, diagnostics: verdict.diagnostics };
  if (mode === 'build' && !existsSync(bench.binaryPath(hash))) await build();
  return { ok: true, hash, path: bench.binaryPath(hash), language: 'rust', warnings: verdict.warnings };
}

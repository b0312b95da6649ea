import { join } from 'node:path';
import { parseCargoOutput, parseRustcDiagnostics } from '../verdict/compile-diagnostics.ts';
import { parseRustPanic } from '../verdict/rust-panic.ts';
import { forbiddenDependencies } from './cargo-manifest-check.ts';
import type { Build, BuildContext, LanguageProgram } from './language-program.ts';

async function buildSingleFile({ toolchain, request, compile }: BuildContext): Promise<Build> {
  const outcome = await compile([
    toolchain.tools.rustc ?? 'rustc',
    '--error-format=json',
    '--edition=2021',
    '-O',
    '-o',
    'main',
    'main.rs',
  ]);
  if (outcome.exitCode !== 0 || outcome.timedOut) {
    const diagnostics = parseRustcDiagnostics(outcome.stderr);
    if (outcome.timedOut) diagnostics.push({ level: 'error', message: 'rustc exceeded the compile time limit' });
    return { kind: 'compile_error', diagnostics, outcome };
  }
  return { kind: 'ready', argv: ['./main', ...(request.args ?? [])] };
}

async function buildCrate({ toolchain, request, compile, workdir }: BuildContext): Promise<Build> {
  const manifest = request.files?.['Cargo.toml'];
  if (manifest === undefined) {
    return {
      kind: 'compile_error',
      diagnostics: [{ level: 'error', message: 'cargo mode needs a Cargo.toml in request.files' }],
    };
  }
  const forbidden = forbiddenDependencies(manifest);
  if (forbidden.length > 0) return { kind: 'compile_error', diagnostics: forbidden };
  // CARGO_HOME inside the working directory: the real one is read-only (or hidden) in the sandbox, and an
  // offline build of a dependency-free crate needs nothing from it.
  const env = { CARGO_HOME: join(workdir, '.cargo-home'), CARGO_TERM_COLOR: 'never', ...toolchain.env };
  const outcome = await compile(
    [toolchain.tools.cargo ?? 'cargo', 'build', '--offline', '--release', '--message-format=json'],
    env,
  );
  const report = parseCargoOutput(outcome.stdout, outcome.stderr);
  if (outcome.exitCode !== 0 || outcome.timedOut || !report.executable) {
    const diagnostics = report.diagnostics;
    if (outcome.timedOut) diagnostics.push({ level: 'error', message: 'cargo build exceeded the compile time limit' });
    else if (outcome.exitCode === 0)
      diagnostics.push({ level: 'error', message: 'cargo build produced no binary target' });
    return { kind: 'compile_error', diagnostics, outcome };
  }
  return { kind: 'ready', argv: [report.executable, ...(request.args ?? [])] };
}

export const rustProgram: LanguageProgram = {
  // A crate's main file may come either in `files` or as `source`.
  sourceFile: (request) =>
    !request.cargo
      ? 'main.rs'
      : request.files?.['src/main.rs'] === undefined && request.source
        ? 'src/main.rs'
        : undefined,
  build: (ctx) => (ctx.request.cargo ? buildCrate(ctx) : buildSingleFile(ctx)),
  explainFailure: parseRustPanic,
};

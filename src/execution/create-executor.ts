import { compileLimits, defaultLimits, mergeLimits } from './execution-limits.ts';
import type {
  ExecutionLimits,
  ExecutionRequest,
  ExecutionResult,
  Executor,
  SandboxMode,
  SandboxSetting,
} from './execution-types.ts';
import { LANGUAGES } from './execution-types.ts';
import { warnFallbackOnce } from './fallback-warning.ts';
import { InvalidExecutionRequestError } from './invalid-execution-request-error.ts';
import { LANGUAGE_PROGRAMS } from './languages/language-programs.ts';
import { allocateRunIdentity } from './process/run-identity.ts';
import { type ProcessOutcome, runProcess } from './process/run-process.ts';
import { createWorkingDirectory } from './process/working-directory.ts';
import { resolveSandboxMode } from './sandbox/sandbox-command.ts';
import { scrubWorkdir } from './scrub-volatile.ts';
import { resolveToolchain } from './toolchain.ts';
import { classifyRun } from './verdict/classify-run.ts';
import { renderDiagnostics } from './verdict/compile-diagnostics.ts';
import { writeProgramFiles } from './write-program-files.ts';

export interface ExecutorOptions {
  sandbox: SandboxSetting;
  /** Limits applied to every request unless the request overrides them. */
  defaults?: Partial<ExecutionLimits>;
  /** Receives the one-per-process warning when bubblewrap is not used (default: stderr). */
  onWarning?: (msg: string) => void;
}

/**
 * The real execution engine: each request runs in a fresh working directory, in bubblewrap when available
 * (see docs/execution.md), under the limits, with a scrubbed environment.
 */
export function createExecutor(options: ExecutorOptions): Executor {
  const mode: SandboxMode = resolveSandboxMode(options.sandbox);
  if (mode === 'rlimit-only') warnFallbackOnce(options.onWarning ?? ((msg) => process.stderr.write(`${msg}\n`)));
  const sandbox = mode === 'bwrap' ? 'bwrap' : 'none';
  const base = mergeLimits(defaultLimits, options.defaults);

  async function run(request: ExecutionRequest, runOptions: { signal?: AbortSignal } = {}): Promise<ExecutionResult> {
    if (!LANGUAGES.includes(request.language)) {
      throw new InvalidExecutionRequestError(
        'language',
        `'${String(request.language)}' is not one of ${LANGUAGES.join(', ')}`,
      );
    }
    if (request.cargo && request.language !== 'rust')
      throw new InvalidExecutionRequestError('cargo', 'only valid for rust');
    const limits = mergeLimits(base, request.limits);
    const program = LANGUAGE_PROGRAMS[request.language];
    const toolchain = await resolveToolchain(request.language);
    const identity = allocateRunIdentity();
    const owner = identity;
    const workdir = await createWorkingDirectory(owner);
    try {
      const files: Record<string, string> = { ...(request.files ?? {}) };
      const sourceFile = program.sourceFile(request);
      if (sourceFile) files[sourceFile] = request.source;
      await writeProgramFiles(workdir.path, files, owner);

      const common = {
        workdir: workdir.path,
        sandbox,
        identity,
        pathPrefix: toolchain.pathPrefix,
        readOnlyBinds: toolchain.readOnlyBinds,
        signal: runOptions.signal,
      } as const;
      const build = await program.build({
        request,
        workdir: workdir.path,
        toolchain,
        compile: (argv, env) => runProcess({ ...common, argv, env, limits: compileLimits }),
      });
      if (build.kind === 'compile_error') {
        const diagnostics = build.diagnostics.map((d) => ({
          ...d,
          message: scrubWorkdir(d.message, workdir.path),
          ...(d.file ? { file: scrubWorkdir(d.file, workdir.path) } : {}),
          ...(d.snippet ? { snippet: scrubWorkdir(d.snippet, workdir.path) } : {}),
        }));
        const first = diagnostics.find((d) => d.level === 'error') ?? diagnostics[0];
        return {
          verdict: 'compile_error',
          exitCode: build.outcome?.exitCode ?? null,
          signal: build.outcome?.signal ?? null,
          stdout: '',
          stderr: renderDiagnostics(diagnostics),
          stdoutTruncated: false,
          stderrTruncated: build.outcome?.stderrTruncated ?? false,
          durationMs: build.outcome?.durationMs ?? 0,
          error: { type: 'CompileError', message: first?.message ?? 'compilation failed' },
          diagnostics,
          sandbox: mode,
        };
      }
      const outcome: ProcessOutcome = await runProcess({
        ...common,
        argv: build.argv,
        env: { ...toolchain.env, ...build.env },
        limits,
        ...(request.stdin !== undefined ? { stdin: request.stdin } : {}),
      });
      const stderr = scrubWorkdir(outcome.stderr, workdir.path);
      const verdict = classifyRun({ ...outcome, stderr }, limits, program.explainFailure, request.expectedStdout);
      return {
        ...verdict,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        stdout: outcome.stdout,
        stderr,
        stdoutTruncated: outcome.stdoutTruncated,
        stderrTruncated: outcome.stderrTruncated,
        durationMs: outcome.durationMs,
        sandbox: mode,
      };
    } finally {
      await workdir.dispose();
    }
  }

  return { run };
}

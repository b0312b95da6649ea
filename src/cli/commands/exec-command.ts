import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Command, Option } from 'commander';
import { createExecutor } from '../../execution/create-executor.ts';
import {
  type ExecutionRequest,
  type ExecutionResult,
  LANGUAGES,
  type Language,
  SANDBOX_SETTINGS,
  type SandboxSetting,
} from '../../execution/execution-types.ts';
import { type CliContext, createCliContext, setAction } from '../cli-context.ts';
import { runSubcommand } from '../run-command-line.ts';
import { UsageError } from '../usage-error.ts';

interface ExecFlags {
  lang: Language;
  stdin?: string;
  timeout?: string;
  memory?: string;
  sandbox: SandboxSetting;
  json?: boolean;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError('refinery exec', `--${flag} must be a positive number, got '${value}'`);
  return n;
}

async function readInput(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError('refinery exec', `${flag}: cannot read '${path}'${code ? ` (${code})` : ''}`);
  }
}

async function crateFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = { 'Cargo.toml': await readInput('FILE', join(dir, 'Cargo.toml')) };
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(sub, { withFileTypes: true })) {
      const full = join(sub, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files[relative(dir, full)] = await readFile(full, 'utf8');
    }
  };
  await walk(join(dir, 'src')).catch(() => {
    throw new UsageError('refinery exec', `FILE: crate directory '${dir}' has no src/ directory`);
  });
  return files;
}

async function buildRequest(values: ExecFlags, file: string): Promise<ExecutionRequest> {
  const language = values.lang;
  const info = await stat(file).catch(() => {
    throw new UsageError('refinery exec', `FILE: '${file}' does not exist`);
  });
  const timeout = positiveNumber('timeout', values.timeout);
  const memory = positiveNumber('memory', values.memory);
  const request: ExecutionRequest = { language, source: '' };
  if (info.isDirectory()) {
    if (language !== 'rust')
      throw new UsageError(
        'refinery exec',
        `FILE: '${file}' is a directory; only --lang rust accepts a crate directory`,
      );
    request.cargo = true;
    request.files = await crateFiles(file);
  } else {
    request.source = await readInput('FILE', file);
  }
  if (typeof values.stdin === 'string') request.stdin = await readInput('--stdin', values.stdin);
  request.limits = {
    ...(timeout !== undefined ? { wallMs: Math.round(timeout * 1000) } : {}),
    ...(memory !== undefined ? { memoryMb: Math.round(memory) } : {}),
  };
  return request;
}

function summary(result: ExecutionResult): string {
  const lines = [`${result.verdict} (${result.durationMs} ms, sandbox: ${result.sandbox})`];
  if (result.error) lines.push(`${result.error.type}: ${result.error.message}`);
  if (result.expected !== undefined)
    lines.push(`expected: ${result.expected.trimEnd()}`, `actual:   ${(result.actual ?? '').trimEnd()}`);
  const excerpt = (label: string, text: string, truncated: boolean) => {
    if (!text.trim()) return;
    const shown = text.length > 2000 ? `${text.slice(0, 2000)}\n...` : text.replace(/\n$/, '');
    lines.push(`--- ${label}${truncated ? ' (truncated)' : ''} ---`, shown);
  };
  excerpt('stdout', result.stdout, result.stdoutTruncated);
  excerpt(result.verdict === 'compile_error' ? 'compiler' : 'stderr', result.stderr, result.stderrTruncated);
  return `${lines.join('\n')}\n`;
}

/** `refinery exec`: runs one program through the engine. Exit code 0 when it passed, 1 otherwise, 2 on bad input. */
export function execCommand(ctx: CliContext): Command {
  const command = new Command('exec')
    .summary('run one program in the sandbox and print its verdict (docs/execution.md)')
    .description(
      'Run one program through the execution engine and print its verdict: exit 0 when it passed, 1 otherwise.',
    )
    .argument('<FILE>', 'the program; for rust, also a crate directory (Cargo.toml and src/)')
    .addOption(new Option('--lang <LANG>', 'its language').choices(LANGUAGES).makeOptionMandatory())
    .addOption(new Option('--stdin <FILE>', 'a file fed to its standard input'))
    .addOption(new Option('--timeout <S>', "wall-clock limit in seconds (default: the engine's)"))
    .addOption(new Option('--memory <MB>', "memory limit in MB (default: the engine's)"))
    .addOption(
      new Option('--sandbox <MODE>', 'bwrap: bubblewrap; none: rlimits only; auto: bwrap when available')
        .choices(SANDBOX_SETTINGS)
        .default('auto'),
    )
    .addOption(new Option('--json', 'print the result as one JSON object'));
  return setAction(command, ctx, async (file: string, values: ExecFlags) => {
    const request = await buildRequest(values, file);
    return runRequest(request, values, ctx);
  });
}

/** `refinery exec` on its own (the arguments after `exec`). */
export async function runExecCommand(argv: string[]): Promise<number> {
  const ctx = createCliContext();
  return runSubcommand(execCommand(ctx), argv, ctx);
}

async function runRequest(request: ExecutionRequest, values: ExecFlags, ctx: CliContext): Promise<number> {
  const executor = createExecutor({ sandbox: values.sandbox });
  const result = await executor.run(request);
  if (values.json) {
    const { durationMs, exitCode, stdoutTruncated, stderrTruncated, ...rest } = result;
    const out = {
      ...rest,
      duration_ms: durationMs,
      exit_code: exitCode,
      stdout_truncated: stdoutTruncated,
      stderr_truncated: stderrTruncated,
    };
    ctx.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    ctx.stdout.write(summary(result));
  }
  return result.verdict === 'passed' ? 0 : 1;
}

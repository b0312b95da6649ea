import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createExecutor } from '../../execution/create-executor.ts';
import { LANGUAGES, SANDBOX_SETTINGS, type ExecutionRequest, type ExecutionResult, type Language, type SandboxSetting } from '../../execution/execution-types.ts';
import { BAD_INPUT_EXIT_CODE } from '../../runtime/exit-status.ts';
import { UsageError } from '../usage-error.ts';

const USAGE = `usage: refinery exec --lang LANG FILE [--stdin FILE] [--timeout S] [--memory MB] [--sandbox ${SANDBOX_SETTINGS.join('|')}] [--json]
  LANG is one of ${LANGUAGES.join(', ')}; for rust, FILE may be a crate directory (Cargo.toml and src/).`;

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('refinery exec', `--${flag} must be a positive number, got '${value}'`);
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

async function buildRequest(values: Record<string, string | boolean | undefined>, file: string): Promise<ExecutionRequest> {
  const lang = values.lang;
  if (typeof lang !== 'string') throw new UsageError('refinery exec', '--lang is required');
  if (!(LANGUAGES as readonly string[]).includes(lang)) throw new UsageError('refinery exec', `--lang must be one of ${LANGUAGES.join(', ')}, got '${lang}'`);
  const language = lang as Language;
  const info = await stat(file).catch(() => {
    throw new UsageError('refinery exec', `FILE: '${file}' does not exist`);
  });
  const timeout = positiveNumber('timeout', values.timeout as string | undefined);
  const memory = positiveNumber('memory', values.memory as string | undefined);
  const request: ExecutionRequest = { language, source: '' };
  if (info.isDirectory()) {
    if (language !== 'rust') throw new UsageError('refinery exec', `FILE: '${file}' is a directory; only --lang rust accepts a crate directory`);
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
  if (result.expected !== undefined) lines.push(`expected: ${result.expected.trimEnd()}`, `actual:   ${(result.actual ?? '').trimEnd()}`);
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
export async function runExecCommand(argv: string[]): Promise<number> {
  let request: ExecutionRequest;
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        lang: { type: 'string' },
        stdin: { type: 'string' },
        timeout: { type: 'string' },
        memory: { type: 'string' },
        sandbox: { type: 'string', default: 'auto' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values;
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!(SANDBOX_SETTINGS as readonly string[]).includes(String(values.sandbox))) {
      throw new UsageError('refinery exec', `--sandbox must be one of ${SANDBOX_SETTINGS.join(', ')}, got '${String(values.sandbox)}'`);
    }
    if (parsed.positionals.length !== 1) {
      throw new UsageError('refinery exec', parsed.positionals.length === 0 ? 'FILE is required' : `expected one FILE, got ${parsed.positionals.length}`);
    }
    request = await buildRequest(values, parsed.positionals[0] as string);
  } catch (error) {
    const message = error instanceof UsageError ? error.detail : error instanceof Error ? error.message : String(error);
    process.stderr.write(`refinery exec: ${message}\n${USAGE}\n`);
    return BAD_INPUT_EXIT_CODE;
  }

  const executor = createExecutor({ sandbox: values.sandbox as SandboxSetting });
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
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(summary(result));
  }
  return result.verdict === 'passed' ? 0 : 1;
}

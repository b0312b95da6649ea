import type { CompileDiagnostic } from '../execution-types.ts';

function asLevel(kind: unknown): CompileDiagnostic['level'] {
  const k = String(kind);
  if (k.includes('error')) return 'error';
  if (k === 'warning' || k === 'note' || k === 'help') return k;
  return 'note';
}

interface GccLocation {
  caret?: { file?: string; line?: number; column?: number };
}
interface GccDiagnostic {
  kind?: string;
  message?: string;
  option?: string;
  locations?: GccLocation[];
  children?: GccDiagnostic[];
}

function fromGcc(d: GccDiagnostic): CompileDiagnostic {
  const caret = d.locations?.[0]?.caret;
  return {
    level: asLevel(d.kind),
    message: d.message ?? '',
    ...(d.option ? { code: d.option } : {}),
    ...(caret?.file ? { file: caret.file } : {}),
    ...(caret?.line !== undefined ? { line: caret.line } : {}),
    ...(caret?.column !== undefined ? { column: caret.column } : {}),
  };
}

/**
 * gcc -fdiagnostics-format=json prints one JSON array on stderr; the linker (ld, collect2) still prints plain
 * text (`undefined reference to ...`), which becomes error diagnostics too.
 */
export function parseGccDiagnostics(stderr: string): CompileDiagnostic[] {
  const out: CompileDiagnostic[] = [];
  for (const line of stderr.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('[')) {
      try {
        const parsed = JSON.parse(trimmed) as GccDiagnostic[];
        for (const d of parsed) {
          out.push(fromGcc(d));
          for (const child of d.children ?? []) out.push(fromGcc(child));
        }
        continue;
      } catch {
        // not JSON after all: keep it as text
      }
    }
    if (/^collect2: error: ld returned/.test(trimmed)) continue;
    out.push({ level: /error|undefined reference/.test(trimmed) ? 'error' : 'note', message: trimmed });
  }
  return out;
}

interface RustSpan {
  file_name?: string;
  line_start?: number;
  column_start?: number;
  is_primary?: boolean;
}
interface RustDiagnostic {
  $message_type?: string;
  message?: string;
  code?: { code?: string } | null;
  level?: string;
  spans?: RustSpan[];
  rendered?: string | null;
}

const RUST_SUMMARY =
  /^(aborting due to|For more information about|Some errors have detailed explanations|\d+ warnings? emitted)/;

export function fromRustcDiagnostic(d: RustDiagnostic): CompileDiagnostic | undefined {
  if (d.$message_type !== undefined && d.$message_type !== 'diagnostic') return undefined;
  const message = d.message ?? '';
  if ((d.spans ?? []).length === 0 && RUST_SUMMARY.test(message)) return undefined;
  const span = d.spans?.find((s) => s.is_primary) ?? d.spans?.[0];
  return {
    level: asLevel(d.level),
    message,
    ...(d.code?.code ? { code: d.code.code } : {}),
    ...(span?.file_name ? { file: span.file_name } : {}),
    ...(span?.line_start !== undefined ? { line: span.line_start } : {}),
    ...(span?.column_start !== undefined ? { column: span.column_start } : {}),
    ...(d.rendered ? { snippet: d.rendered.replace(/\s+$/, '') } : {}),
  };
}

/** rustc --error-format=json: one JSON diagnostic per stderr line; other lines are kept as plain text. */
export function parseRustcDiagnostics(stderr: string): CompileDiagnostic[] {
  const out: CompileDiagnostic[] = [];
  for (const line of stderr.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('{')) {
      try {
        const d = fromRustcDiagnostic(JSON.parse(trimmed) as RustDiagnostic);
        if (d) out.push(d);
        continue;
      } catch {
        // fall through
      }
    }
    out.push({ level: /^error/.test(trimmed) ? 'error' : 'note', message: trimmed });
  }
  return out;
}

export interface CargoBuildReport {
  diagnostics: CompileDiagnostic[];
  /** Path of the built binary (first `bin` target), when the build produced one. */
  executable?: string;
}

/**
 * cargo --message-format=json: JSON lines on stdout (`compiler-message` wraps a rustc diagnostic,
 * `compiler-artifact` names the executable); cargo's own errors (bad manifest, offline resolution) are plain
 * `error: ...` text on stderr.
 */
export function parseCargoOutput(stdout: string, stderr: string): CargoBuildReport {
  const diagnostics: CompileDiagnostic[] = [];
  let executable: string | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let msg: { reason?: string; message?: RustDiagnostic; executable?: string | null; target?: { kind?: string[] } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      continue;
    }
    if (msg.reason === 'compiler-message' && msg.message) {
      const d = fromRustcDiagnostic(msg.message);
      if (d) diagnostics.push(d);
    } else if (msg.reason === 'compiler-artifact' && msg.executable && msg.target?.kind?.includes('bin')) {
      executable ??= msg.executable;
    }
  }
  const ownErrors = stderr
    .split('\n')
    .filter(
      (l) =>
        !/^error: could not compile/.test(l) &&
        !/^\s*(Compiling|Finished|Running|Blocking|warning: build failed)/.test(l),
    );
  const first = ownErrors.findIndex((l) => /^error(\[|:)/.test(l));
  if (first >= 0) {
    const text = ownErrors.slice(first).join('\n').trim();
    if (text) diagnostics.push({ level: 'error', message: text.replace(/^error:\s*/, '') });
  }
  return { diagnostics, ...(executable ? { executable } : {}) };
}

/** A compiler-style text rendering (`file:line:col: level: message`), used as the stderr of compile_error. */
export function renderDiagnostics(diagnostics: CompileDiagnostic[]): string {
  return diagnostics
    .map((d) => {
      if (d.snippet) return d.snippet;
      const where = d.file
        ? `${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.column !== undefined ? `:${d.column}` : ''}: `
        : '';
      return `${where}${d.level}: ${d.message}${d.code && !d.snippet ? ` [${d.code}]` : ''}`;
    })
    .join('\n');
}

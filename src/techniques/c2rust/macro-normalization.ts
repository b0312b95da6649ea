/** A `#define` as §4 stage 1 classifies it. */
export interface MacroDefinition {
  name: string;
  /** 1-based line of the `#define`. */
  line: number;
  kind: 'constant' | 'function-like' | 'conditional' | 'other';
  /** The replacement text (continuation lines joined). */
  body: string;
  /** For a constant: its Rust type and literal (`i32`/`1`, `f64`/`3.5`, `&str`/`"x"`). */
  rust?: { type: string; literal: string };
}

const INT = /^\(?\s*(-?)\s*(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)\s*\)?$/;
const FLOAT = /^\(?\s*(-?\s*(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)[fFlL]?\s*\)?$/;
const CHAR = /^'(\\.|[^'\\])'$/;
const STRING = /^"((?:[^"\\]|\\.)*)"$/;

/**
 * Classifies every `#define` of a C file: an object-like macro with a literal value is a `constant` (rewritten by
 * rule); one with parameters is `function-like` (the coder's); one defined or undefined under `#if`/`#ifdef`/
 * `#ifndef`, or `#undef`'d anywhere, is `conditional` (left to the preprocessor); anything else is `other`.
 */
export function classifyMacros(source: string): MacroDefinition[] {
  const lines = source.replace(/\\\r?\n/g, ' ').split('\n');
  const undefined_ = new Set<string>();
  for (const line of lines) {
    const undef = /^\s*#\s*undef\s+(\w+)/.exec(line);
    if (undef) undefined_.add(undef[1]!);
  }
  const out: MacroDefinition[] = [];
  let depth = 0;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '');
    if (/^\s*#\s*if(n?def)?\b/.test(line)) depth++;
    else if (/^\s*#\s*endif\b/.test(line)) depth = Math.max(0, depth - 1);
    const define = /^\s*#\s*define\s+(\w+)(\([^)]*\))?\s*(.*)$/.exec(line);
    if (!define) return;
    const [, name, params, rest] = define as unknown as [string, string, string | undefined, string];
    const body = rest.trim();
    const base = { name, line: i + 1, body };
    if (depth > 0 || undefined_.has(name)) out.push({ ...base, kind: 'conditional' });
    else if (params !== undefined) out.push({ ...base, kind: 'function-like' });
    else {
      const rust = rustConstant(body);
      out.push(rust ? { ...base, kind: 'constant', rust } : { ...base, kind: 'other' });
    }
  });
  return out;
}

function rustConstant(body: string): { type: string; literal: string } | undefined {
  const int = INT.exec(body);
  if (int) {
    const value = BigInt(int[2]!) * (int[1] ? -1n : 1n);
    const unsigned = /u/i.test(int[3] ?? '');
    const fits32 = value >= -2147483648n && value <= 2147483647n;
    const type = unsigned ? (value <= 4294967295n ? 'u32' : 'u64') : fits32 && !/l/i.test(int[3] ?? '') ? 'i32' : 'i64';
    return { type, literal: value.toString() };
  }
  const float = FLOAT.exec(body);
  if (float) {
    const text = float[1]!.replace(/\s+/g, '');
    return { type: 'f64', literal: /[.eE]/.test(text) ? text.replace(/^(-?)\./, '$10.') : `${text}.0` };
  }
  if (CHAR.test(body)) return { type: 'u8', literal: `b${body}` };
  const string = STRING.exec(body);
  if (string) return { type: '&str', literal: `"${string[1]}"` };
  return undefined;
}

/**
 * The C source with each integer `constant` that fits an `int` rewritten as an enumerator of the same name
 * (`#define N 100` → `enum { N = 100 };`), so the name survives preprocessing and stays a constant expression
 * (array sizes, `case` labels). Other constants stay macros. The caller rebuilds and re-tests the rewritten C.
 */
export function rewriteIntegerConstants(source: string, macros: readonly MacroDefinition[]): string {
  // A name the preprocessor itself tests (`#if N > 2`) must stay a macro: an enumerator is invisible to `#if`.
  const tested = new Set(
    source
      .split('\n')
      .filter((line) => /^\s*#\s*(el)?if\b/.test(line))
      .flatMap((line) => line.match(/\b\w+\b/g) ?? []),
  );
  const byLine = new Map(
    macros
      .filter((m) => m.kind === 'constant' && m.rust?.type === 'i32' && !tested.has(m.name))
      .map((m) => [m.line, m] as const),
  );
  if (byLine.size === 0) return source;
  return source
    .split('\n')
    .map((line, i) => {
      const macro = byLine.get(i + 1);
      return macro && !line.trimEnd().endsWith('\\') ? `enum { ${macro.name} = ${macro.rust!.literal} };` : line;
    })
    .join('\n');
}

/** The Rust `const` items of the constants (for the crate's globals module). */
export function rustConstants(macros: readonly MacroDefinition[]): string[] {
  return macros
    .filter((m) => m.kind === 'constant' && m.rust)
    .map((m) => `pub const ${m.name}: ${m.rust!.type === '&str' ? '&str' : m.rust!.type} = ${m.rust!.literal};`);
}

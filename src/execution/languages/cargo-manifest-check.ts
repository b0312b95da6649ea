import type { CompileDiagnostic } from '../execution-types.ts';

const DEPENDENCY_TABLE =
  /^\[\s*(?:target\.[^\]]*?\.)?(dependencies|dev-dependencies|build-dependencies)(?:\.([^\]\s]+))?\s*\]$/;

/**
 * crates.io is unreachable from the sandbox, so a manifest may not declare dependencies. A line-level scan is
 * enough for the shapes Cargo accepts: `[dependencies]` with entries, `[dependencies.name]` tables and the
 * `target.'cfg'.dependencies` variants. Returns one diagnostic per offending entry.
 */
export function forbiddenDependencies(manifest: string): CompileDiagnostic[] {
  const out: CompileDiagnostic[] = [];
  let table: string | undefined;
  manifest.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    if (line.startsWith('[')) {
      const match = DEPENDENCY_TABLE.exec(line);
      // `[dependencies.name]` is one entry (reported on its header); its keys are not further entries.
      table = match && !match[2] ? match[1] : undefined;
      if (match?.[2]) out.push(forbidden(match[2], match[1] ?? 'dependencies', index + 1));
      return;
    }
    if (table) {
      const name = /^([\w-]+|"[^"]+")\s*=/.exec(line)?.[1];
      if (name) out.push(forbidden(name.replace(/"/g, ''), table, index + 1));
    }
  });
  return out;
}

function forbidden(name: string, table: string, line: number): CompileDiagnostic {
  return {
    level: 'error',
    file: 'Cargo.toml',
    line,
    message: `[${table}] entry '${name}' is not allowed: builds run offline (cargo --offline) and cannot fetch crates; use only the standard library`,
  };
}

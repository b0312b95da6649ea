/**
 * Stage 2b, MuTAP's syntax fix by truncation (techniques §3.2): parse the file; on a SyntaxError at line L keep
 * lines 1…L (the error's own line included, as the released `synxtaxfixer` does); when L is missing or at/past the
 * last line, drop the last line; repeat until the file parses. The parse oracle is Python's `ast.parse` (run by
 * the caller: src/execution/mutap/); this module only decides what to cut.
 */
export type ParseVerdict = { ok: true } | { ok: false; line: number | null };

/** One truncation step for a file that does not parse. */
export function truncateAtError(source: string, line: number | null): string {
  const lines = source.split('\n');
  if (line === null || line >= lines.length) return lines.slice(0, -1).join('\n');
  return lines.slice(0, line).join('\n');
}

export interface SyntaxFixResult {
  source: string;
  /** Truncation steps taken (0: the file parsed as it was). */
  steps: number;
}

/**
 * Truncates until `parse` accepts the file. Terminates: every step removes at least one line, and the empty file
 * parses. `parse` may batch or cache; it is called once per step.
 */
export async function truncateUntilParses(
  source: string,
  parse: (source: string) => Promise<ParseVerdict>,
): Promise<SyntaxFixResult> {
  let current = source;
  let steps = 0;
  for (;;) {
    const verdict = await parse(current);
    if (verdict.ok) return { source: current, steps };
    const next = truncateAtError(current, verdict.line);
    if (next === current) return { source: '', steps: steps + 1 };
    current = next;
    steps += 1;
  }
}

/**
 * Assert statements of a test body, one string each (stage 3 runs each alone). MuTAP splits the body into lines
 * and keeps those that start with `assert`; its bookkeeping then misaligns when other lines sit between the
 * asserts (techniques §3.5). Here a statement is located by its first line and continues over the lines that
 * follow while a bracket or a triple-quoted string is still open (an assert spread over several lines stays one
 * statement); other lines (comments, blank lines, helper statements) are reported separately, never mixed in.
 */
export interface BodyStatements {
  /** Each assert statement, dedented to column 0 (`assert f(1) == 2`), continuation lines kept as written. */
  asserts: string[];
  /** Lines of the body that belong to no assert statement (blank lines excluded). */
  others: string[];
}

export function splitAsserts(body: string): BodyStatements {
  const lines = body.split('\n');
  const asserts: string[] = [];
  const others: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const trimmed = line.trim();
    if (!/^assert\b/.test(trimmed)) {
      if (trimmed !== '') others.push(line);
      index += 1;
      continue;
    }
    const statement = [trimmed];
    let state = scanOpen(trimmed, initialScan());
    index += 1;
    while ((state.depth > 0 || state.triple !== null || state.continued) && index < lines.length) {
      statement.push(lines[index]!);
      state = scanOpen(lines[index]!, { ...state, continued: false });
      index += 1;
    }
    asserts.push(statement.join('\n').trimEnd());
  }
  return { asserts, others };
}

interface ScanState {
  depth: number;
  /** The open triple quote, when the line ends inside a triple-quoted string. */
  triple: string | null;
  /** The line ends with a backslash continuation. */
  continued: boolean;
}

const initialScan = (): ScanState => ({ depth: 0, triple: null, continued: false });

/** Brackets and strings of one line, from the state the previous line left. */
function scanOpen(line: string, start: ScanState): ScanState {
  let { depth, triple } = start;
  let i = 0;
  while (i < line.length) {
    if (triple !== null) {
      const end = line.indexOf(triple, i);
      if (end < 0) return { depth, triple, continued: false };
      i = end + 3;
      triple = null;
      continue;
    }
    const ch = line[i]!;
    if (ch === '#') break;
    if (ch === '"' || ch === "'") {
      if (line.startsWith(ch.repeat(3), i)) {
        triple = ch.repeat(3);
        i += 3;
        continue;
      }
      i += 1;
      while (i < line.length && line[i] !== ch) i += line[i] === '\\' ? 2 : 1;
      i += 1;
      continue;
    }
    if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    i += 1;
  }
  return { depth, triple, continued: line.trimEnd().endsWith('\\') };
}

import { termCounts } from './code-terms.ts';

/** What a task (and test output) says about where to look, before any file is read. */
export interface TaskHints {
  /** Query terms for lexical retrieval, with weights. */
  terms: Map<string, number>;
  /** Identifiers written as code (backticks, snake_case, camelCase, dotted, called), lowercased. */
  codeNames: Set<string>;
  /** Every word of the task of 3+ characters, lowercased: a definition named like one is a weaker hint. */
  words: Set<string>;
  /** Paths of the tree the task or the test output names, with the lines the test output points at. */
  mentioned: Map<string, { strength: number; lines: number[] }>;
}

const CODE_LIKE =
  /`([^`\n]{1,80})`|\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+\b|\b[A-Za-z_][A-Za-z0-9_]*\s*\(|\b[a-z0-9]+_[A-Za-z0-9_]+\b|\b_[A-Za-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b/g;

/** Test output lines worth reading for terms: tracebacks, assertions, errors (a whole log would drown the task). */
const TELLING_LINE = /error|exception|assert|traceback|fail|expected|^\s*File "|^\s+at |^E\s/i;

export function taskHints(task: string, testOutput: string, paths: readonly string[]): TaskHints {
  const terms = termCounts(task);
  const telling = testOutput
    .split('\n')
    .filter((line) => TELLING_LINE.test(line))
    .slice(0, 200)
    .join('\n');
  for (const [term, n] of termCounts(telling)) terms.set(term, (terms.get(term) ?? 0) + Math.min(n, 2) * 0.5);

  const codeNames = new Set<string>();
  for (const match of task.matchAll(CODE_LIKE)) {
    for (const id of (match[1] ?? match[0]).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      if (id[0].length >= 3) codeNames.add(id[0].toLowerCase());
    }
  }
  const words = new Set<string>();
  for (const id of task.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) if (id[0].length >= 3) words.add(id[0].toLowerCase());

  return { terms, codeNames, words, mentioned: mentionedPaths(task, testOutput, paths) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mentionedPaths(
  task: string,
  testOutput: string,
  paths: readonly string[],
): Map<string, { strength: number; lines: number[] }> {
  const out = new Map<string, { strength: number; lines: number[] }>();
  const note = (path: string, strength: number, line?: number) => {
    const entry = out.get(path) ?? { strength: 0, lines: [] };
    entry.strength = Math.max(entry.strength, strength);
    if (line !== undefined && !entry.lines.includes(line)) entry.lines.push(line);
    out.set(path, entry);
  };
  const lowerTask = task.toLowerCase();
  const taskWords = new Set(lowerTask.match(/[a-z0-9_]+/g) ?? []);
  const byBase = new Map<string, string[]>();
  for (const path of paths) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const list = byBase.get(base);
    if (list) list.push(path);
    else byBase.set(base, [path]);
    const stem = base.replace(/\.[^.]+$/, '').toLowerCase();
    if (path.includes('/') && lowerTask.includes(path.toLowerCase())) note(path, 3);
    else if (
      base.includes('.') &&
      lowerTask.includes(base.toLowerCase()) &&
      new RegExp(`(^|[^\\w.])${escapeRegExp(base.toLowerCase())}\\b`).test(lowerTask)
    )
      note(path, 2);
    else if (stem.length >= 4 && stem !== '__init__' && stem !== 'index' && taskWords.has(stem)) note(path, 1);
  }
  // Locations in test output: Python tracebacks (File "x.py", line 12), path:line (pytest, node, tsc).
  const locations = /File "([^"]+)", line (\d+)|([\w./\\-]+\.[A-Za-z]{1,5}):(\d+)/g;
  for (const match of testOutput.matchAll(locations)) {
    const raw = (match[1] ?? match[3] ?? '').replace(/\\/g, '/');
    const line = Number(match[2] ?? match[4]);
    const base = raw.slice(raw.lastIndexOf('/') + 1);
    for (const path of byBase.get(base) ?? []) {
      if (raw === path || raw.endsWith(`/${path}`) || path.endsWith(raw.replace(/^\.\//, ''))) note(path, 2, line);
    }
  }
  return out;
}

import { FILE_TAGS_VERSION } from './file-tags.ts';
import { type FileParts, fileParts, renderOutline, renderPartialFile, renderWholeFile } from './file-views.ts';
import { type RankedFile, rankFiles } from './rank-files.ts';
import { taskHints } from './task-hints.ts';
import { DEFAULT_TOKENIZER, measureChars, type TextMeasure, type TokenizerName, tokenMeasure } from './text-measure.ts';
import { TreeSnapshot, type TreeSnapshotOptions } from './tree-snapshot.ts';

/** What to select context for. */
export interface ContextRequest {
  task: string;
  /** The latest test output: its tracebacks point at files and lines. */
  testOutput?: string;
  /** Files already touched or named by the plan: shown first. */
  pinned?: readonly string[];
  budget?: ContextBudget;
}

export interface ContextBudget {
  /** Characters of file contents (whole files, outlines and line ranges). Default 48,000. */
  fileChars?: number;
  /** Tokens of file contents, instead of `fileChars` (counted with `tokenizer`). */
  fileTokens?: number;
  /** Characters of the repository map of the files not shown. Default 4,000. */
  mapChars?: number;
  /** Tokens of the repository map, instead of `mapChars`. */
  mapTokens?: number;
  /** The encoding token budgets are counted in. Default o200k_base. */
  tokenizer?: TokenizerName;
}

export const DEFAULT_CONTEXT_BUDGET = { fileChars: 48_000, mapChars: 4_000 } as const;

export interface ShownFile {
  path: string;
  view: 'whole' | 'partial';
  /** Line ranges shown (a whole file is one range). */
  ranges: { start: number; end: number }[];
  chars: number;
  /** Tokens of this file's view, when the file budget is in tokens. */
  tokens?: number;
  score: number;
}

export interface ContextSelection {
  /** The files whose content, whole or in part, is shown, in the order shown. */
  files: ShownFile[];
  /** Every text file of the tree, best first. */
  ranking: RankedFile[];
  /** The files section as the agents see it. */
  filesText: string;
  /** The repository map: the next files by rank with their definitions. */
  mapText: string;
  /** Characters of filesText + mapText. */
  chars: number;
  /** Tokens of filesText + mapText (with the budget's tokenizer), when a budget is in tokens. */
  tokens?: number;
  stats: {
    treeFiles: number;
    parsed: number;
    cached: number;
    /** The whole selection was read back from the cache (same tree state, same request). */
    reused: boolean;
    /** Threads that indexed and parsed (2 with the helper thread of a cold run on a large tree). */
    threads: number;
  };
}

/** Bump when what selectContext returns for a tree and request changes, so no older selection is served. */
const SELECTION_VERSION = 'selection-1';

/** Files no longer than this are shown whole when first picked. */
const SMALL_FILE = 3_000;
const MIN_FILES = 6;
const MAX_FILES = 40;
/** Files considered for the context at all (the best by rank): the rest are left to the map. */
const MAX_CANDIDATES = 80;
/** The map lists definitions of this many files at most (each parsed, or taken from the cache). */
const MAP_PARSED_FILES = 24;

/**
 * The context for a task on a tree: rank the files (src/context/rank-files.ts), then fill the budget in two
 * passes. Breadth first: each file in rank order gets a small view (whole when small, otherwise its outline and
 * its most relevant unit) until about 60% of the budget; then depth: in rank order a file is shown whole when it
 * fits, or gets more of its relevant units. A large file is shown in part, never dropped.
 */
export async function selectContext(
  root: string,
  request: ContextRequest,
  options: TreeSnapshotOptions = {},
): Promise<ContextSelection> {
  const snapshot = await TreeSnapshot.open(root, options);
  try {
    return await selectContextIn(snapshot, request);
  } finally {
    snapshot.close();
  }
}

/**
 * The selection for a request on an open snapshot. It depends on nothing but the tree state and the request, so
 * it is cached under both (TreeSnapshot.treeMemo): the same request on an unchanged tree reads it back.
 */
export async function selectContextIn(snapshot: TreeSnapshot, request: ContextRequest): Promise<ContextSelection> {
  const budget = resolveBudget(request.budget);
  const testOutput = request.testOutput ?? '';
  const inputs = JSON.stringify([
    SELECTION_VERSION,
    FILE_TAGS_VERSION,
    request.task,
    testOutput,
    request.pinned ?? [],
    budget,
  ]);
  const { value, reused } = await snapshot.treeMemo('selections', inputs, async () =>
    computeSelection(snapshot, request.task, testOutput, request.pinned ?? [], await budgetLimits(budget)),
  );
  snapshot.flush();
  return {
    ...value,
    stats: {
      treeFiles: snapshot.files.length,
      parsed: snapshot.counters.parsed,
      cached: snapshot.counters.cached,
      reused,
      threads: snapshot.threads,
    },
  };
}

type ResolvedBudget =
  | { fileChars: number; mapChars: number }
  | { fileChars?: number; fileTokens?: number; mapChars?: number; mapTokens?: number; tokenizer: TokenizerName };

/**
 * One of each pair (chars or tokens), the char defaults for a pair given neither. With char budgets only, it is
 * the same object as before token budgets existed, so cached selections and outputs stay the same.
 */
function resolveBudget(budget: ContextBudget = {}): ResolvedBudget {
  const files =
    budget.fileTokens !== undefined
      ? { fileTokens: budget.fileTokens }
      : { fileChars: budget.fileChars ?? DEFAULT_CONTEXT_BUDGET.fileChars };
  const map =
    budget.mapTokens !== undefined
      ? { mapTokens: budget.mapTokens }
      : { mapChars: budget.mapChars ?? DEFAULT_CONTEXT_BUDGET.mapChars };
  if (budget.fileTokens === undefined && budget.mapTokens === undefined) {
    return { fileChars: files.fileChars as number, mapChars: map.mapChars as number };
  }
  return { ...files, ...map, tokenizer: budget.tokenizer ?? DEFAULT_TOKENIZER };
}

/** A budget as a limit and the measure it is counted in, for the files section and for the map. */
interface BudgetLimits {
  files: { limit: number; measure: TextMeasure; inTokens: boolean };
  map: { limit: number; measure: TextMeasure };
  /** The tokenizer, when any budget is in tokens. */
  tokens?: TextMeasure;
}

async function budgetLimits(budget: ResolvedBudget): Promise<BudgetLimits> {
  const tokens = 'tokenizer' in budget ? await tokenMeasure(budget.tokenizer) : undefined;
  const fileTokens = 'fileTokens' in budget ? budget.fileTokens : undefined;
  const mapTokens = 'mapTokens' in budget ? budget.mapTokens : undefined;
  return {
    files:
      fileTokens !== undefined && tokens
        ? { limit: fileTokens, measure: tokens, inTokens: true }
        : { limit: budget.fileChars ?? DEFAULT_CONTEXT_BUDGET.fileChars, measure: measureChars, inTokens: false },
    map:
      mapTokens !== undefined && tokens
        ? { limit: mapTokens, measure: tokens }
        : { limit: budget.mapChars ?? DEFAULT_CONTEXT_BUDGET.mapChars, measure: measureChars },
    ...(tokens ? { tokens } : {}),
  };
}

async function computeSelection(
  snapshot: TreeSnapshot,
  task: string,
  testOutput: string,
  pinned: readonly string[],
  budget: BudgetLimits,
): Promise<Omit<ContextSelection, 'stats'>> {
  const measure = budget.files.measure;
  const fileLimit = budget.files.limit;
  /** Below this much budget left, no further file is tried (about 400 characters). */
  const minLeft = budget.files.inTokens ? 100 : 400;
  const hints = taskHints(task, testOutput, snapshot.files);
  const { ranked, tags, index } = await rankFiles(snapshot, hints, { pinned });
  const topScore = ranked.find((r) => !r.pinned)?.score ?? 0;

  // Term weights inside files: the query's weights times their rarity in the tree.
  const weights = new Map<string, number>();
  for (const [term, n] of hints.terms) weights.set(term, index.idf(term) * Math.min(n, 3));
  const weight = (t: string) => weights.get(t) ?? 0;
  const weighted = [...weights].filter(([, w]) => w > 0).map(([t]) => t);

  const eligible = ranked
    .filter((r) => r.pinned || r.mentioned > 0 || (topScore > 0 && r.score >= topScore * 0.08 && r.score > 0))
    .slice(0, MAX_CANDIDATES);
  const partsCache = new Map<string, FileParts>();
  const partsOf = (path: string): FileParts => {
    let parts = partsCache.get(path);
    if (!parts) {
      parts = fileParts(path, snapshot.text(path) ?? '', tags.get(path), {
        weight,
        codeNames: hints.codeNames,
        words: hints.words,
        focusLines: hints.mentioned.get(path)?.lines ?? [],
        terms: weighted,
      });
      partsCache.set(path, parts);
    }
    return parts;
  };

  interface Pick {
    ranked: RankedFile;
    whole: boolean;
    units: number;
    text: string;
    /** measure(text): characters, or tokens with a token budget. */
    size: number;
  }
  const picks: Pick[] = [];
  const render = (pick: Pick): string => {
    const parts = partsOf(pick.ranked.path);
    if (pick.whole) return renderWholeFile(pick.ranked.path, parts.text);
    const chosen = parts.units.slice(0, pick.units).filter((u, i) => i === 0 || u.score > 0);
    const focus = new Set(chosen.map((u) => u.name).filter((n): n is string => n !== undefined));
    const outline = renderOutline(parts.tags, pick.units <= 1 ? 1_200 : 2_400, focus);
    return renderPartialFile(parts, chosen, outline);
  };
  let used = 0;
  const fits = (size: number, limit: number) => used + size <= limit;
  const setText = (pick: Pick) => {
    pick.text = render(pick);
    pick.size = measure(pick.text);
  };

  // Breadth.
  const breadthLimit = fileLimit * 0.6;
  for (const r of eligible) {
    if (picks.length >= MAX_FILES) break;
    if (used >= breadthLimit && picks.length >= MIN_FILES) break;
    const text = snapshot.text(r.path) ?? '';
    const pick: Pick = { ranked: r, whole: text.length <= SMALL_FILE, units: 1, text: '', size: 0 };
    setText(pick);
    if (!fits(pick.size, fileLimit)) {
      if (pick.whole) continue;
      pick.units = 0;
      setText(pick);
      if (!fits(pick.size, fileLimit)) continue;
    }
    picks.push(pick);
    used += pick.size;
  }
  // Depth: in rank order, whole when it fits within 40% of the budget, otherwise more units.
  for (const pick of picks) {
    if (pick.whole) continue;
    const remaining = fileLimit - used;
    const whole: Pick = { ...pick, whole: true };
    setText(whole);
    if (whole.size - pick.size <= Math.min(remaining, fileLimit * 0.4)) {
      used += whole.size - pick.size;
      Object.assign(pick, whole);
      continue;
    }
    const allowance = remaining * 0.45;
    const parts = partsOf(pick.ranked.path);
    let spent = 0;
    while (pick.units < parts.units.length && (parts.units[pick.units]?.score ?? 0) > 0) {
      const next: Pick = { ...pick, units: pick.units + 1 };
      setText(next);
      const extra = next.size - pick.size;
      if (spent + extra > allowance || !fits(extra, fileLimit)) break;
      spent += extra;
      used += extra;
      Object.assign(pick, next);
    }
  }
  // Whatever is left: more files, small views.
  for (const r of eligible.slice(picks.length)) {
    if (picks.length >= MAX_FILES || fileLimit - used < minLeft) break;
    if (picks.some((p) => p.ranked.path === r.path)) continue;
    const text = snapshot.text(r.path) ?? '';
    const pick: Pick = { ranked: r, whole: text.length <= SMALL_FILE, units: 1, text: '', size: 0 };
    setText(pick);
    if (!fits(pick.size, fileLimit)) continue;
    picks.push(pick);
    used += pick.size;
  }

  const files: ShownFile[] = picks.map((pick) => {
    const parts = partsOf(pick.ranked.path);
    const ranges = pick.whole
      ? [{ start: 1, end: parts.lines.length }]
      : parts.units
          .slice(0, pick.units)
          .map(({ start, end }) => ({ start, end }))
          .sort((a, b) => a.start - b.start);
    return {
      path: pick.ranked.path,
      view: pick.whole ? 'whole' : 'partial',
      ranges,
      chars: pick.text.length,
      ...(budget.files.inTokens ? { tokens: pick.size } : {}),
      score: pick.ranked.score,
    };
  });
  const filesText =
    picks.length > 0
      ? picks.map((p) => p.text).join('\n\n')
      : '(no file of the repository matches the task; the repository map lists what there is)';
  const rest = ranked.filter((r) => !picks.some((p) => p.ranked.path === r.path));
  const mapTags = await snapshot.tagsOfMany(rest.slice(0, MAP_PARSED_FILES).map((r) => r.path));
  const mapText = renderMap(rest, mapTags, budget.map.limit, budget.map.measure);
  const chars = filesText.length + mapText.length;
  if (!budget.tokens) return { files, ranking: ranked, filesText, mapText, chars };
  const tokens = budget.tokens(filesText) + budget.tokens(mapText);
  return { files, ranking: ranked, filesText, mapText, chars, tokens };
}

/**
 * The next files by rank, one line each: the path, then its top-level definitions (from the map, when parsed),
 * within `limit` as counted by `measure` (each line plus one for its newline).
 */
function renderMap(
  rest: readonly RankedFile[],
  tags: ReadonlyMap<string, { definitions: { name: string; depth: number; kind: string }[] }>,
  limit: number,
  measure: TextMeasure,
): string {
  const lines: string[] = [];
  let used = 0;
  for (const r of rest) {
    const top = tags.get(r.path)?.definitions.filter((d) => d.depth === 0) ?? [];
    const defs = [...top.filter((d) => d.kind === 'class'), ...top.filter((d) => d.kind !== 'class')].map(
      (d) => d.name,
    );
    let line = defs.length > 0 ? `${r.path}: ${defs.join(', ')}` : r.path;
    if (line.length > 200) line = `${line.slice(0, 196)} ...`;
    const size = measure(line) + 1;
    if (used + size > limit) break;
    lines.push(line);
    used += size;
  }
  const more = rest.length - lines.length;
  return lines.length === 0 ? '' : `${lines.join('\n')}${more > 0 ? `\n... and ${more} more files` : ''}`;
}

import type { FileTags } from './file-tags.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { isCodePath, isTestPath } from './path-roles.ts';
import { personalizedPageRank } from './personalized-page-rank.ts';
import type { TaskHints } from './task-hints.ts';
import type { TreeSnapshot } from './tree-snapshot.ts';
import { indexFiles } from './tree-terms.ts';

export interface RankedFile {
  path: string;
  score: number;
  /** BM25 of the contents (and path) against the task, scaled so the best file has 1. */
  lexical: number;
  /** Definitions named like the task's identifiers or words. */
  symbols: string[];
  /** Named by the task or pointed at by the test output (0 = not). */
  mentioned: number;
  pinned: boolean;
  test: boolean;
}

export interface RankOptions {
  /** Files already touched or planned: ranked first. */
  pinned?: readonly string[];
  /** Files the repo map parses and ranks by its graph: the best this many by lexical score (plus pinned and mentioned). */
  poolSize?: number;
}

/**
 * Ranks the tree's text files for a task. Lexical retrieval (BM25 over contents and path) picks a pool; the
 * repository map of the pool adds definitions named like the task's identifiers and a personalised PageRank over
 * "file A references a name file B defines" whose teleport goes to the files the task points at (Aider's repo
 * map, in spirit). Pinned files first; tests and non-code files are kept but ranked lower unless the task or the
 * test output names them.
 */
export async function rankFiles(
  snapshot: TreeSnapshot,
  hints: TaskHints,
  options: RankOptions = {},
): Promise<{ ranked: RankedFile[]; tags: Map<string, FileTags>; index: LexicalIndex }> {
  const pinned = new Set(options.pinned ?? []);
  const index = await snapshot.lexicalIndex((textOf) => indexFiles(snapshot.files, textOf));
  const textFiles = index.documents;
  const lexicalHits = index.search(hints.terms);
  const top = lexicalHits[0]?.score ?? 1;
  const lexical = new Map(lexicalHits.map((h) => [h.id, h.score / top]));

  const poolSize = options.poolSize ?? 60;
  const indexed = new Set(textFiles);
  const pool = new Set<string>([...pinned].filter((p) => indexed.has(p)));
  for (const path of hints.mentioned.keys()) if (indexed.has(path)) pool.add(path);
  for (const hit of lexicalHits) {
    if (pool.size >= poolSize + pinned.size + hints.mentioned.size) break;
    pool.add(hit.id);
  }
  const poolList = [...pool];
  const tags = await snapshot.tagsOfMany(poolList);

  // Definitions named like the task's identifiers: rarer names count more.
  const definers = new Map<string, Set<string>>();
  for (const [path, t] of tags)
    for (const d of t.definitions) {
      const key = d.name.toLowerCase();
      const set = definers.get(key) ?? new Set<string>();
      set.add(path);
      definers.set(key, set);
    }
  const symbolScore = new Map<string, number>();
  const symbols = new Map<string, string[]>();
  for (const [path, t] of tags) {
    let score = 0;
    const names: string[] = [];
    for (const d of t.definitions) {
      const key = d.name.toLowerCase();
      const strong = hints.codeNames.has(key);
      if (!strong && !(key.length >= 4 && hints.words.has(key))) continue;
      if (names.includes(d.name)) continue;
      names.push(d.name);
      score += (strong ? 1 : 0.3) / (definers.get(key)?.size ?? 1);
    }
    symbolScore.set(path, Math.min(score, 2));
    symbols.set(path, names);
  }

  // Personalised PageRank over references between pool files.
  const base = new Map<string, number>();
  for (const path of poolList) {
    const mention = hints.mentioned.get(path)?.strength ?? 0;
    base.set(
      path,
      (lexical.get(path) ?? 0) + (symbolScore.get(path) ?? 0) + 0.5 * mention + (pinned.has(path) ? 3 : 0) + 1e-6,
    );
  }
  const edges: { from: string; to: string; weight: number }[] = [];
  for (const [from, t] of tags) {
    const counts = new Map<string, number>();
    for (const [name] of t.references) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const [name, n] of counts) {
      const targets = definers.get(name.toLowerCase());
      if (!targets) continue;
      const named = hints.codeNames.has(name.toLowerCase()) ? 10 : 1;
      const privateName = name.startsWith('_') ? 0.3 : 1;
      for (const to of targets) {
        if (to !== from) edges.push({ from, to, weight: (Math.sqrt(n) * named * privateName) / targets.size });
      }
    }
  }
  const rank = personalizedPageRank(poolList, edges, base);
  const maxRank = Math.max(1e-12, ...rank.values());

  const ranked: RankedFile[] = textFiles.map((path) => {
    const mention = hints.mentioned.get(path)?.strength ?? 0;
    const test = isTestPath(path);
    let score =
      (base.get(path) ?? lexical.get(path) ?? 0) + (pool.has(path) ? 0.5 * ((rank.get(path) ?? 0) / maxRank) : 0);
    if (test && mention === 0 && !pinned.has(path)) score *= 0.35;
    if (!isCodePath(path) && mention < 2 && !pinned.has(path)) score *= 0.3;
    return {
      path,
      score,
      lexical: lexical.get(path) ?? 0,
      symbols: symbols.get(path) ?? [],
      mentioned: mention,
      pinned: pinned.has(path),
      test,
    };
  });
  ranked.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.score - a.score || (a.path < b.path ? -1 : 1));
  return { ranked, tags, index };
}

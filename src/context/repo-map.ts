import { TreeSnapshot, type TreeSnapshotOptions } from './tree-snapshot.ts';

/** One tree-sitter tag of the repository map. `line` is 1-based. */
export interface SymbolTag {
  path: string;
  line: number;
  name: string;
  role: 'definition' | 'reference';
  /** function, class, method, constant, interface, module, ... for definitions; call, class, import, ... for references */
  kind: string;
}

/** Definitions and references of a tree's code files, by name and by file. */
export interface RepoMap {
  files: readonly string[];
  definitions(name: string): SymbolTag[];
  references(name: string): SymbolTag[];
  tagsOf(path: string): SymbolTag[];
}

/**
 * The repository map: every file of the tree in a language with a grammar and tags query
 * (src/context/context-languages.ts: Python, JavaScript, TypeScript) parsed with web-tree-sitter, its
 * definitions and references indexed by name. Reads only inside `root`; binary, unreadable and over-large
 * files have no tags. Tags are cached by git blob hash (see TreeSnapshotOptions.cacheDir), so a second build
 * on the same tree parses nothing.
 */
export async function buildRepoMap(
  root: string,
  options: { files?: readonly string[]; signal?: AbortSignal; cacheDir?: string | false } = {},
): Promise<RepoMap> {
  const snapshot = await TreeSnapshot.open(root, options satisfies TreeSnapshotOptions);
  return repoMapOf(snapshot, snapshot.files);
}

/** The map of some files of an open snapshot (the context selection maps its candidates only). */
export async function repoMapOf(snapshot: TreeSnapshot, paths: readonly string[]): Promise<RepoMap> {
  const byPath = new Map<string, SymbolTag[]>();
  const definitions = new Map<string, SymbolTag[]>();
  const references = new Map<string, SymbolTag[]>();
  const add = (index: Map<string, SymbolTag[]>, tag: SymbolTag) => {
    const list = index.get(tag.name);
    if (list) list.push(tag);
    else index.set(tag.name, [tag]);
  };
  for (const [path, tags] of await snapshot.tagsOfMany(paths)) {
    const list: SymbolTag[] = [];
    for (const d of tags.definitions) {
      const tag: SymbolTag = { path, line: d.line, name: d.name, role: 'definition', kind: d.kind };
      list.push(tag);
      add(definitions, tag);
    }
    for (const [name, line, kind] of tags.references) {
      const tag: SymbolTag = { path, line, name, role: 'reference', kind };
      list.push(tag);
      add(references, tag);
    }
    list.sort((a, b) => a.line - b.line);
    byPath.set(path, list);
  }
  snapshot.flush();
  return {
    files: snapshot.files,
    definitions: (name) => [...(definitions.get(name) ?? [])],
    references: (name) => [...(references.get(name) ?? [])],
    tagsOf: (path) => [...(byPath.get(path) ?? [])],
  };
}

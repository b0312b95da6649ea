import { termCounts } from './code-terms.ts';
import { LexicalIndex } from './lexical-index.ts';
import { isCodePath } from './path-roles.ts';

/** Characters of a non-code file's text that are indexed. */
export const NON_CODE_INDEXED_CHARS = 16_000;

/**
 * The lexical index of some files of a tree, in the given order, each file by its text (files without text are
 * left out): code whole, prose and data by their beginning (a changelog or a data dump should not cost a whole
 * read), and the words of the path twice. The whole tree's index is these over consecutive runs of its files,
 * joined in order (LexicalIndex.concat), which is how two threads build it (context-helper.ts).
 */
export function indexFiles(paths: readonly string[], textOf: (path: string) => string | undefined): LexicalIndex {
  const index = new LexicalIndex();
  for (const path of paths) {
    const text = textOf(path);
    if (text === undefined) continue;
    const counts = termCounts(isCodePath(path) ? text : text.slice(0, NON_CODE_INDEXED_CHARS));
    for (const [term, n] of termCounts(path.replace(/[/.]/g, ' '))) counts.set(term, (counts.get(term) ?? 0) + 2 * n);
    index.add(path, counts);
  }
  return index;
}

import { createParser } from '../../src/parsing/tree-sitter-grammars.ts';
import { type RustFileItems, rustFileItems } from '../../src/techniques/c2rust/rust-items.ts';
import { countUnsafe, type UnsafeCensus } from '../../src/techniques/c2rust/unsafe-census.ts';

/** Parses Rust with tree-sitter-rust and hands the tree to the pure analyses. */
export async function withRustTree<T>(source: string, use: (root: import('web-tree-sitter').Node) => T): Promise<T> {
  const parser = await createParser('rust');
  const tree = parser.parse(source);
  try {
    if (!tree) throw new Error('tree-sitter-rust returned no tree');
    return use(tree.rootNode);
  } finally {
    tree?.delete();
    parser.delete();
  }
}

export const parseRustItems = (source: string): Promise<RustFileItems> => withRustTree(source, rustFileItems);
export const censusOf = (source: string): Promise<UnsafeCensus> =>
  withRustTree(source, (root) => countUnsafe(root, source));

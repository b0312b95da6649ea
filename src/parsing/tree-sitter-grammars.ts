import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Language, Parser, Query } from 'web-tree-sitter';

/**
 * The one place Refinery loads tree-sitter: web-tree-sitter (WebAssembly, no native build) with the grammars
 * that ship their `.wasm` in their npm package. C and Rust serve the C-to-Rust pipeline; Python, JavaScript and
 * TypeScript serve repository context. A new language is one entry here (its package, wasm file and tags query).
 */
export const GRAMMARS = {
  c: { module: 'tree-sitter-c', wasm: 'tree-sitter-c.wasm' },
  rust: { module: 'tree-sitter-rust', wasm: 'tree-sitter-rust.wasm' },
  python: { module: 'tree-sitter-python', wasm: 'tree-sitter-python.wasm' },
  javascript: { module: 'tree-sitter-javascript', wasm: 'tree-sitter-javascript.wasm' },
  typescript: { module: 'tree-sitter-typescript', wasm: 'tree-sitter-typescript.wasm' },
  tsx: { module: 'tree-sitter-typescript', wasm: 'tree-sitter-tsx.wasm' },
} as const;

export type GrammarName = keyof typeof GRAMMARS;

const require = createRequire(import.meta.url);
let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();

/** The grammar's Language, loaded once per process (the runtime is initialised on first use). */
export function loadGrammar(name: GrammarName): Promise<Language> {
  let loaded = languages.get(name);
  if (loaded === undefined) {
    // The runtime's own wasm is located through the package, not beside the calling module: in the bundled CLI
    // (dist/cli/) the module is inlined and would look for it next to the bundle.
    runtime ??= Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
    const { module, wasm } = GRAMMARS[name];
    loaded = runtime.then(() => Language.load(require.resolve(`${module}/${wasm}`)));
    languages.set(name, loaded);
  }
  return loaded;
}

/** A parser set to the grammar. Parsers are cheap; reuse one per loop for speed, and `delete()` trees you keep. */
export async function createParser(name: GrammarName): Promise<Parser> {
  const language = await loadGrammar(name);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The grammar package's own `queries/<file>` (e.g. `tags.scm`), compiled; undefined when the package has none. */
export async function grammarQuery(name: GrammarName, file: string): Promise<Query | undefined> {
  const language = await loadGrammar(name);
  const { module } = GRAMMARS[name];
  let source: string;
  try {
    source = await readFile(require.resolve(`${module}/queries/${file}`), 'utf8');
  } catch {
    return undefined;
  }
  return new Query(language, source);
}

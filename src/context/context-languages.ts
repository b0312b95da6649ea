import type { GrammarName } from '../parsing/tree-sitter-grammars.ts';

/**
 * The languages the repository map parses: a file extension picks a grammar and the tags queries run on it
 * (the grammar packages' own `queries/tags.scm`, in order, plus a few extra patterns). A new language is one
 * entry here and one in src/parsing/tree-sitter-grammars.ts.
 */
export interface ContextLanguage {
  grammar: GrammarName;
  /** `[grammar package, query file]` pairs, each compiled against `grammar`. */
  tagQueries: readonly (readonly [GrammarName, string])[];
  /** Extra tag patterns in the same `@name` + `@definition.*`/`@reference.*` convention. */
  extraTags?: string;
  /** The fence info string for shown code. */
  fence: string;
}

const PYTHON_EXTRA = `
(class_definition superclasses: (argument_list [(identifier) @name (attribute attribute: (identifier) @name)])) @reference.class
(import_from_statement name: (dotted_name (identifier) @name)) @reference.import
(decorator [(identifier) @name (attribute attribute: (identifier) @name)]) @reference.call
`;

const PYTHON: ContextLanguage = {
  grammar: 'python',
  tagQueries: [['python', 'tags.scm']],
  extraTags: PYTHON_EXTRA,
  fence: 'python',
};
const JAVASCRIPT: ContextLanguage = {
  grammar: 'javascript',
  tagQueries: [['javascript', 'tags.scm']],
  fence: 'javascript',
};
const TYPESCRIPT: ContextLanguage = {
  grammar: 'typescript',
  tagQueries: [
    ['javascript', 'tags.scm'],
    ['typescript', 'tags.scm'],
  ],
  fence: 'typescript',
};
const TSX: ContextLanguage = {
  grammar: 'tsx',
  tagQueries: [
    ['javascript', 'tags.scm'],
    ['typescript', 'tags.scm'],
  ],
  fence: 'tsx',
};

const BY_EXTENSION: Record<string, ContextLanguage> = {
  py: PYTHON,
  pyi: PYTHON,
  js: JAVASCRIPT,
  mjs: JAVASCRIPT,
  cjs: JAVASCRIPT,
  jsx: JAVASCRIPT,
  ts: TYPESCRIPT,
  mts: TYPESCRIPT,
  cts: TYPESCRIPT,
  tsx: TSX,
};

/** The language of a path by its extension; undefined for files the map does not parse. */
export function contextLanguageOf(path: string): ContextLanguage | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

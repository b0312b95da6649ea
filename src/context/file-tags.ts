import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Parser, Query } from 'web-tree-sitter';
import type { ContextLanguage } from './context-languages.ts';

/** tree-sitter is loaded on the first parse: a run whose tags all come from the cache never loads it. */
const grammars = () => import('../parsing/tree-sitter-grammars.ts');

/** A definition with its extent: what outlines and partial views are made of. Lines are 1-based. */
export interface DefinitionSpan {
  name: string;
  kind: string;
  line: number;
  endLine: number;
  /** Enclosing definitions (0 = top level). */
  depth: number;
  /** The definition's first line, trimmed and capped. */
  signature: string;
}

/** What the map keeps of one file; cached by blob hash, so it holds no path. */
export interface FileTags {
  definitions: DefinitionSpan[];
  /** `[name, line, kind]` per reference. */
  references: [string, number, string][];
  /** False when the parser found syntax errors and no definitions (not code of this language). */
  parsed: boolean;
  lines: number;
}

/** Bump when the extraction changes, so cached tags of an older extraction are not served. */
export const FILE_TAGS_VERSION = 'tags-1';

const require = createRequire(import.meta.url);
const compiled = new Map<string, Promise<Query[]>>();

async function tagQueries(language: ContextLanguage): Promise<Query[]> {
  const key = language.fence;
  let queries = compiled.get(key);
  if (queries === undefined) {
    queries = (async () => {
      const [{ GRAMMARS, loadGrammar }, { Query: TreeQuery }] = await Promise.all([
        grammars(),
        import('web-tree-sitter'),
      ]);
      const grammar = await loadGrammar(language.grammar);
      const out: Query[] = [];
      for (const [pkg, file] of language.tagQueries) {
        const source = await readFile(require.resolve(`${GRAMMARS[pkg].module}/queries/${file}`), 'utf8');
        out.push(new TreeQuery(grammar, source));
      }
      if (language.extraTags) out.push(new TreeQuery(grammar, language.extraTags));
      return out;
    })();
    compiled.set(key, queries);
  }
  return queries;
}

const parsers = new Map<string, Promise<Parser>>();

/** The language's parser and tags queries, loaded once per thread (a helper thread loads them ahead of its parses). */
export function prepareFileTags(language: ContextLanguage): Promise<[Parser, Query[]]> {
  let parser = parsers.get(language.grammar);
  if (parser === undefined) {
    parser = grammars().then(({ createParser }) => createParser(language.grammar));
    parsers.set(language.grammar, parser);
  }
  return Promise.all([parser, tagQueries(language)]);
}

/** Parses one file's text and extracts its definitions (with extents) and references. */
export async function extractFileTags(language: ContextLanguage, text: string): Promise<FileTags> {
  const [p, queries] = await prepareFileTags(language);
  const tree = p.parse(text);
  const lines = countLines(text);
  if (tree === null) return { definitions: [], references: [], parsed: false, lines };
  try {
    const raw: { name: string; kind: string; start: number; end: number; line: number; endLine: number }[] = [];
    const references: [string, number, string][] = [];
    const seenDefs = new Set<string>();
    const seenRefs = new Set<string>();
    for (const query of queries) {
      for (const match of query.matches(tree.rootNode)) {
        const nameNode = match.captures.find((c) => c.name === 'name')?.node;
        const tag = match.captures.find((c) => c.name.startsWith('definition.') || c.name.startsWith('reference.'));
        if (!nameNode || !tag) continue;
        const name = nameNode.text;
        if (name === '' || name.length > 200) continue;
        const [role, kind = 'unknown'] = tag.name.split('.');
        if (role === 'definition') {
          const key = `${tag.node.startIndex}:${name}`;
          if (seenDefs.has(key)) continue;
          seenDefs.add(key);
          raw.push({
            name,
            kind,
            start: tag.node.startIndex,
            end: tag.node.endIndex,
            line: tag.node.startPosition.row + 1,
            endLine: tag.node.endPosition.row + 1,
          });
        } else {
          const line = nameNode.startPosition.row + 1;
          const key = `${nameNode.startIndex}:${name}`;
          if (seenRefs.has(key)) continue;
          seenRefs.add(key);
          references.push([name, line, kind]);
        }
      }
    }
    raw.sort((a, b) => a.start - b.start || b.end - a.end);
    const definitions: DefinitionSpan[] = [];
    const stack: { end: number; kind: string }[] = [];
    const textLines = text.split('\n');
    for (const d of raw) {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= d.start) stack.pop();
      const parent = stack[stack.length - 1];
      const kind = d.kind === 'function' && parent?.kind === 'class' ? 'method' : d.kind;
      const signature = (textLines[d.line - 1] ?? '').trim().slice(0, 160);
      definitions.push({ name: d.name, kind, line: d.line, endLine: d.endLine, depth: stack.length, signature });
      stack.push({ end: d.end, kind: d.kind });
    }
    references.sort((a, b) => a[1] - b[1]);
    const parsed = !(tree.rootNode.hasError && definitions.length === 0);
    return { definitions, references, parsed, lines };
  } finally {
    tree.delete();
  }
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

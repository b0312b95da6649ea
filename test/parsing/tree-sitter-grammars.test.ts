import { describe, expect, it } from 'vitest';
import { createParser, GRAMMARS, type GrammarName, grammarQuery } from '../../src/parsing/tree-sitter-grammars.ts';

const SAMPLES: Record<GrammarName, { source: string; root: string; definition: string }> = {
  c: { source: 'int f(int x) { return x; }\n', root: 'translation_unit', definition: 'function_definition' },
  rust: { source: 'fn f(x: i32) -> i32 { x }\n', root: 'source_file', definition: 'function_item' },
  python: { source: 'def f(x):\n    return x\n', root: 'module', definition: 'function_definition' },
  javascript: { source: 'function f(x) { return x; }\n', root: 'program', definition: 'function_declaration' },
  typescript: { source: 'function f(x: number) { return x; }\n', root: 'program', definition: 'function_declaration' },
  tsx: { source: 'function f() { return <a/>; }\n', root: 'program', definition: 'function_declaration' },
};

describe('tree-sitter grammars', () => {
  for (const name of Object.keys(GRAMMARS) as GrammarName[]) {
    it(`parses ${name} without errors`, async () => {
      const sample = SAMPLES[name];
      const parser = await createParser(name);
      const tree = parser.parse(sample.source);
      expect(tree?.rootNode.type).toBe(sample.root);
      expect(tree?.rootNode.hasError).toBe(false);
      expect(tree?.rootNode.child(0)?.type).toBe(sample.definition);
      tree?.delete();
      parser.delete();
    });
  }

  it("compiles the python package's tags query and finds the definition", async () => {
    const query = await grammarQuery('python', 'tags.scm');
    const parser = await createParser('python');
    const tree = parser.parse('def alpha(x):\n    return beta(x)\n');
    if (query === undefined || tree === null) throw new Error('no query or tree');
    // the query captures `@name` beside the tag node (`@definition.function`, `@reference.call`)
    const tags = query.matches(tree.rootNode).map((m) => {
      const name = m.captures.find((c) => c.name === 'name')?.node.text;
      const tag = m.captures.find((c) => c.name !== 'name')?.name;
      return `${tag}:${name}`;
    });
    expect(tags).toEqual(['definition.function:alpha', 'reference.call:beta']);
  });

  it('answers undefined for a query file the package does not ship', async () => {
    expect(await grammarQuery('c', 'no-such-query.scm')).toBeUndefined();
  });
});

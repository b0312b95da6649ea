import { describe, expect, it } from 'vitest';
import { createParser } from '../../../src/parsing/tree-sitter-grammars.ts';
import { type CProgramFacts, extractCProgramFacts } from '../../../src/techniques/c2rust/c-program-facts.ts';
import { buildCallGraph, pruneCallGraph, reachableFunctions } from '../../../src/techniques/c2rust/call-graph.ts';
import {
  classifyMacros,
  rewriteIntegerConstants,
  rustConstants,
} from '../../../src/techniques/c2rust/macro-normalization.ts';
import { primitiveGlobals } from '../../../src/techniques/c2rust/primitive-globals.ts';
import { orderTranslationUnits, tarjan } from '../../../src/techniques/c2rust/translation-units.ts';
import { unitContext } from '../../../src/techniques/c2rust/unit-context.ts';

async function facts(source: string): Promise<CProgramFacts> {
  const parser = await createParser('c');
  const tree = parser.parse(source)!;
  try {
    return extractCProgramFacts(tree.rootNode);
  } finally {
    tree.delete();
    parser.delete();
  }
}

const PROGRAM = `
typedef long long ll;
typedef struct node { int v; struct node *next; } Node;
static int counter = 3;
ll total;
Node *head = ((void *)0);
int is_even(int n);
int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }
int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
void push(int v) { Node *n = 0; n->v = v; n->next = head; head = n; counter++; }
int unused(void) { return is_odd(3); }
int main(void) { int a[3] = {3, 1, 2}; qsort(a, 3, sizeof(int), cmp); push(is_even(a[0])); total += counter; return 0; }
`;

describe('C analysis (tree-sitter-c facts, call graph, units)', () => {
  it('extracts functions, globals with storage and primitiveness, and type definitions', async () => {
    const f = await facts(PROGRAM);
    expect(f.functions.map((x) => x.name)).toEqual(['is_odd', 'is_even', 'cmp', 'push', 'unused', 'main']);
    expect(f.globals.map((g) => [g.name, g.storage, g.type, g.primitive])).toEqual([
      ['counter', 'static', 'int', true],
      ['total', null, 'll', true],
      ['head', null, 'Node *', false],
    ]);
    expect(f.types.map((t) => `${t.kind}:${t.name}`)).toEqual(['typedef:ll', 'struct:struct node', 'typedef:Node']);
    expect(f.functions.find((x) => x.name === 'main')!.calls).toEqual(['qsort', 'push', 'is_even']);
  });

  it('builds call and address-taken edges, prunes what main does not reach, orders SCCs callees first', async () => {
    const graph = buildCallGraph(await facts(PROGRAM));
    expect(graph.calls.main).toEqual(['push', 'is_even']);
    expect(graph.addressTaken.main).toEqual(['cmp']);
    expect(graph.globalUses.push).toEqual(['head', 'counter']);
    expect(graph.typeUses.push).toEqual(['Node', 'struct node']);
    // direct calls only: cmp is not reached; with address-taken edges it is; unused never is
    expect(reachableFunctions(graph, ['main'], { directOnly: true })).toEqual(['is_odd', 'is_even', 'push', 'main']);
    const pruned = pruneCallGraph(graph, reachableFunctions(graph, ['main']));
    expect(pruned.functions).toEqual(['is_odd', 'is_even', 'cmp', 'push', 'main']);
    const units = orderTranslationUnits(pruned);
    expect(units.map((u) => u.functions)).toEqual([['is_odd', 'is_even'], ['cmp'], ['push'], ['main']]);
    const position = new Map(units.flatMap((u, i) => u.functions.map((f) => [f, i] as const)));
    for (const unit of units)
      for (const callee of unit.callees) expect(position.get(callee)!).toBeLessThan(position.get(unit.functions[0]!)!);
    expect(units[3]!.callees).toEqual(['push', 'is_even', 'cmp']);
    // stable: the same graph gives the same order
    expect(orderTranslationUnits(pruned)).toEqual(units);
  });

  it('reads a K&R implicit-int main() as a function', async () => {
    const f = await facts('int sq(int x) { return x * x; }\nmain() { printf("%d", sq(3)); }\n');
    expect(f.functions.map((x) => [x.name, x.calls])).toEqual([
      ['sq', []],
      ['main', ['printf', 'sq']],
    ]);
  });

  it("Tarjan's components keep mutual recursion together and survive long chains", () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c', 'a'], c: ['c'], d: [] };
    expect(tarjan(['a', 'b', 'c', 'd'], (n) => edges[n]!).map((c) => c.sort())).toEqual([['c'], ['a', 'b'], ['d']]);
    const chain = Array.from({ length: 20_000 }, (_, i) => `f${i}`);
    expect(tarjan(chain, (n) => (n === 'f19999' ? [] : [`f${Number(n.slice(1)) + 1}`])).length).toBe(20_000);
  });

  it('turns primitive globals with literal initialisers into Mutex statics with accessors (typedefs resolved)', async () => {
    const f = await facts(PROGRAM);
    const rule = primitiveGlobals(f.globals, new Map([['ll', 'long long']]));
    expect(rule.map((g) => [g.cName, g.rustType, g.getter, g.setter])).toEqual([
      ['counter', 'i32', 'get_counter', 'set_counter'],
      ['total', 'i64', 'get_total', 'set_total'],
    ]);
    expect(rule[0]!.text).toContain('pub static G_COUNTER: Mutex<i32> = Mutex::new(3);');
  });

  it("gives a unit its C code, its translated callees' Rust signatures and the definitions it must write", async () => {
    const f = await facts(PROGRAM);
    const pruned = pruneCallGraph(buildCallGraph(f), reachableFunctions(buildCallGraph(f), ['main']));
    const units = orderTranslationUnits(pruned);
    const push = units.find((u) => u.functions[0] === 'push')!;
    const first = unitContext({
      unit: push,
      facts: f,
      crate: [],
      defined: { types: new Set(), globals: new Set() },
      ruleGlobals: primitiveGlobals(f.globals, new Map()),
    });
    expect(first.cCode).toContain('void push(int v)');
    expect(first.definesTypes).toEqual(['struct node', 'Node']);
    expect(first.definesGlobals).toEqual(['head']);
    expect(first.globalAccessors).toEqual([
      'C global `counter`: read with `get_counter() -> i32`, write with `set_counter(value: i32)`',
    ]);
    const main = units.at(-1)!;
    const later = unitContext({
      unit: main,
      facts: f,
      crate: [{ kind: 'fn', name: 'push', text: 'pub fn push(v: i32) {}', signature: 'pub fn push(v: i32);' }],
      defined: { types: new Set(['Node', 'struct node']), globals: new Set(['head']) },
      ruleGlobals: [],
    });
    expect(later.calleeSignatures[0]).toBe('pub fn push(v: i32);');
    expect(later.calleeSignatures[1]).toMatch(/is_even: translated earlier, but no `fn is_even`/);
  });
});

describe('macro normalisation (§4 stage 1)', () => {
  const SOURCE = [
    '#define N 100',
    '#define BIG 10000000000LL',
    '#define PI 3.14',
    '#define NAME "x"',
    '#define SQ(x) ((x) * (x))',
    '#ifndef LIMIT',
    '#define LIMIT 5',
    '#endif',
    '#define TMP 1',
    '#undef TMP',
    '#define LEVEL 2',
    '#if LEVEL > 1',
    '#endif',
    '#define EXPR (N + 1)',
    'int a[N];',
  ].join('\n');

  it('classifies constants, function-like, conditional and other defines', () => {
    const macros = classifyMacros(SOURCE);
    expect(macros.map((m) => [m.name, m.kind, m.rust?.type ?? null])).toEqual([
      ['N', 'constant', 'i32'],
      ['BIG', 'constant', 'i64'],
      ['PI', 'constant', 'f64'],
      ['NAME', 'constant', '&str'],
      ['SQ', 'function-like', null],
      ['LIMIT', 'conditional', null],
      ['TMP', 'conditional', null],
      ['LEVEL', 'constant', 'i32'],
      ['EXPR', 'other', null],
    ]);
    expect(rustConstants(macros)).toContain('pub const BIG: i64 = 10000000000;');
  });

  it('rewrites int constants as enumerators, except names an #if tests', () => {
    const rewritten = rewriteIntegerConstants(SOURCE, classifyMacros(SOURCE));
    expect(rewritten.split('\n')[0]).toBe('enum { N = 100 };');
    expect(rewritten).toContain('#define LEVEL 2');
    expect(rewritten).toContain('#define BIG 10000000000LL');
    expect(rewritten).toContain('int a[N];');
  });
});

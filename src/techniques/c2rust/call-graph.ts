import type { CProgramFacts } from './c-program-facts.ts';

/** Edges between the program's own functions, and from functions to the globals and types they use. */
export interface CallGraph {
  /** Every defined function, in source order. */
  functions: string[];
  /** Direct calls `f(...)` to defined functions: caller → callees (source order of first call). */
  calls: Record<string, string[]>;
  /** A defined function used as a value (`qsort(..., cmp)`, `fp = f`): user → functions whose address it takes. */
  addressTaken: Record<string, string[]>;
  /** Function → file-scope variables it reads or writes. */
  globalUses: Record<string, string[]>;
  /** Function → type names it uses (typedef names and `struct tag`), closed over the types' own uses. */
  typeUses: Record<string, string[]>;
}

/** Builds the call, address-taken, global-use and type-use edges from the extracted facts. */
export function buildCallGraph(facts: CProgramFacts): CallGraph {
  const defined = new Set(facts.functions.map((f) => f.name));
  const globals = new Set(facts.globals.map((g) => g.name));
  const typeDeps = new Map<string, string[]>();
  for (const type of facts.types) typeDeps.set(type.name, [...(typeDeps.get(type.name) ?? []), ...type.typeRefs]);
  const graph: CallGraph = { functions: [], calls: {}, addressTaken: {}, globalUses: {}, typeUses: {} };
  for (const fn of facts.functions) {
    if (graph.calls[fn.name]) continue; // a second definition of the same name (invalid C): the first wins
    graph.functions.push(fn.name);
    graph.calls[fn.name] = fn.calls.filter((c) => defined.has(c));
    graph.addressTaken[fn.name] = fn.valueRefs.filter((r) => defined.has(r));
    graph.globalUses[fn.name] = fn.valueRefs.filter((r) => globals.has(r) && !defined.has(r));
    graph.typeUses[fn.name] = closeTypes([...fn.typeRefs, ...globalTypes(facts, graph.globalUses[fn.name]!)], typeDeps);
  }
  return graph;
}

function globalTypes(facts: CProgramFacts, names: readonly string[]): string[] {
  const wanted = new Set(names);
  return facts.globals.filter((g) => wanted.has(g.name)).flatMap((g) => g.typeRefs);
}

/** The defined types reachable from `roots` through the types' own definitions, in first-seen order. */
function closeTypes(roots: readonly string[], deps: ReadonlyMap<string, string[]>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !deps.has(name)) return;
    seen.add(name);
    for (const dep of deps.get(name)!) visit(dep);
  };
  for (const root of roots) visit(root);
  return [...seen];
}

/** Functions reachable from `roots` through direct calls and, unless `directOnly`, address-taken edges. */
export function reachableFunctions(
  graph: CallGraph,
  roots: readonly string[],
  { directOnly = false }: { directOnly?: boolean } = {},
): string[] {
  const seen = new Set<string>();
  const stack = roots.filter((r) => graph.calls[r] !== undefined);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const next of [...(graph.calls[name] ?? []), ...(directOnly ? [] : (graph.addressTaken[name] ?? []))])
      if (!seen.has(next)) stack.push(next);
  }
  return graph.functions.filter((f) => seen.has(f));
}

/** The graph restricted to `keep` (dead code pruned): edges into dropped functions go too. */
export function pruneCallGraph(graph: CallGraph, keep: readonly string[]): CallGraph {
  const kept = new Set(keep);
  const only = (record: Record<string, string[]>, filter: boolean) =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([name]) => kept.has(name))
        .map(([name, targets]) => [name, filter ? targets.filter((t) => kept.has(t)) : targets]),
    );
  return {
    functions: graph.functions.filter((f) => kept.has(f)),
    calls: only(graph.calls, true),
    addressTaken: only(graph.addressTaken, true),
    globalUses: only(graph.globalUses, false),
    typeUses: only(graph.typeUses, false),
  };
}

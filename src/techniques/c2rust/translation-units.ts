import type { CallGraph } from './call-graph.ts';

/** One translation unit: a strongly connected component of the call graph (mutually recursive functions together). */
export interface TranslationUnit {
  /** 1-based position in the translation order. */
  index: number;
  /** Member functions, in source order. */
  functions: string[];
  /** Functions of earlier units this unit calls or takes the address of. */
  callees: string[];
  /** Globals and types the unit's functions use. */
  globals: string[];
  types: string[];
}

/**
 * Tarjan's strongly connected components over call and address-taken edges, ordered callees first (reverse
 * topological order of the condensed graph). Ties break by source position: among the components whose
 * dependencies are all placed, the one whose first function comes first in the file goes next. The order is
 * a pure function of the graph, so it is stable across runs.
 */
export function orderTranslationUnits(graph: CallGraph): TranslationUnit[] {
  const position = new Map(graph.functions.map((f, i) => [f, i]));
  const edges = (f: string) =>
    [...new Set([...(graph.calls[f] ?? []), ...(graph.addressTaken[f] ?? [])])].filter((g) => position.has(g));
  const components = tarjan(graph.functions, edges);
  const componentOf = new Map<string, number>();
  components.forEach((members, i) => {
    for (const m of members) componentOf.set(m, i);
  });
  const deps = components.map((members, i) => {
    const out = new Set<number>();
    for (const m of members)
      for (const callee of edges(m)) if (componentOf.get(callee) !== i) out.add(componentOf.get(callee)!);
    return out;
  });
  const first = components.map((members) => Math.min(...members.map((m) => position.get(m)!)));
  const placed = new Set<number>();
  const order: number[] = [];
  while (order.length < components.length) {
    let next = -1;
    for (let i = 0; i < components.length; i++) {
      if (placed.has(i) || [...deps[i]!].some((d) => !placed.has(d))) continue;
      if (next === -1 || first[i]! < first[next]!) next = i;
    }
    placed.add(next);
    order.push(next);
  }
  return order.map((c, i) => {
    const functions = [...components[c]!].sort((a, b) => position.get(a)! - position.get(b)!);
    const inUnit = new Set(functions);
    return {
      index: i + 1,
      functions,
      callees: [...new Set(functions.flatMap(edges))].filter((f) => !inUnit.has(f)),
      globals: [...new Set(functions.flatMap((f) => graph.globalUses[f] ?? []))],
      types: [...new Set(functions.flatMap((f) => graph.typeUses[f] ?? []))],
    };
  });
}

/** Tarjan's algorithm, iterative (deep call chains must not overflow the stack). Components in completion order. */
export function tarjan(nodes: readonly string[], edges: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number; targets: readonly string[] }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: 0, targets: edges(node) });
    };
    open(root);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      if (frame.next < frame.targets.length) {
        const target = frame.targets[frame.next++]!;
        if (!index.has(target)) open(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

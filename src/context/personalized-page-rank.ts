/**
 * PageRank with a teleport distribution (`personalization`, any non-negative weights): the walk follows weighted
 * edges with probability `damping` and jumps to a node in proportion to its personalization otherwise. Dangling
 * nodes jump the same way. Deterministic: fixed iterations over the nodes in the given order.
 */
export function personalizedPageRank(
  nodes: readonly string[],
  edges: readonly { from: string; to: string; weight: number }[],
  personalization: ReadonlyMap<string, number>,
  damping = 0.85,
  iterations = 40,
): Map<string, number> {
  const n = nodes.length;
  if (n === 0) return new Map();
  const id = new Map(nodes.map((node, i) => [node, i]));
  const teleport = nodes.map((node) => Math.max(0, personalization.get(node) ?? 0));
  const total = teleport.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) teleport[i] = total > 0 ? teleport[i]! / total : 1 / n;
  const out: { to: number; weight: number }[][] = nodes.map(() => []);
  const outWeight = new Array<number>(n).fill(0);
  for (const edge of edges) {
    const from = id.get(edge.from);
    const to = id.get(edge.to);
    if (from === undefined || to === undefined || !(edge.weight > 0)) continue;
    out[from]!.push({ to, weight: edge.weight });
    outWeight[from]! += edge.weight;
  }
  let rank = [...teleport];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const next = new Array<number>(n).fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outWeight[i] === 0) dangling += rank[i]!;
      else for (const e of out[i]!) next[e.to]! += (damping * rank[i]! * e.weight) / outWeight[i]!;
    }
    for (let i = 0; i < n; i++) next[i]! += (1 - damping + damping * dangling) * teleport[i]!;
    rank = next;
  }
  return new Map(nodes.map((node, i) => [node, rank[i]!]));
}

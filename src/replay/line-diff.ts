/**
 * A small line diff (longest common subsequence) for divergence reports: `-` recorded, `+` now,
 * with a few lines of context around each change.
 */
export function lineDiff(recorded: string, now: string, context = 3): string {
  const a = recorded.split('\n');
  const b = now.split('\n');
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return `- (recorded, ${n} lines)\n+ (now, ${m} lines)`;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { tag: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ tag: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ tag: '-', text: a[i++]! });
    else ops.push({ tag: '+', text: b[j++]! });
  }
  while (i < n) ops.push({ tag: '-', text: a[i++]! });
  while (j < m) ops.push({ tag: '+', text: b[j++]! });
  const keep = new Set<number>();
  ops.forEach((op, k) => {
    if (op.tag !== ' ') for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep.add(c);
  });
  const out: string[] = [];
  let last = -1;
  for (const k of [...keep].sort((x, y) => x - y)) {
    if (last !== -1 && k > last + 1) out.push('@@');
    out.push(`${ops[k]!.tag} ${ops[k]!.text}`);
    last = k;
  }
  return out.join('\n');
}

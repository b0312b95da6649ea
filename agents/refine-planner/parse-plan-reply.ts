const MAX_PLAN_CHARS = 1500;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/**
 * The planner's reply, as the coder will see it: trimmed, fenced code blocks removed (the plan is prose; code
 * belongs to the coder), runs of blank lines collapsed, and cut at a line boundary after 1500 characters.
 * An empty plan is ''.
 */
export function parsePlanReply(reply: string): string {
  const kept: string[] = [];
  let inFence: string | null = null;
  for (const line of reply.replace(/\r\n?/g, '\n').split('\n')) {
    const fence = FENCE.exec(line);
    if (inFence !== null) {
      if (fence && fence[1]!.startsWith(inFence) && line.trim().replace(/^[`~]+/, '') === '') inFence = null;
      continue;
    }
    if (fence) {
      inFence = fence[1]!;
      continue;
    }
    kept.push(line.trimEnd());
  }
  const prose = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (prose.length <= MAX_PLAN_CHARS) return prose;
  const cut = prose.slice(0, MAX_PLAN_CHARS);
  const lastBreak = cut.lastIndexOf('\n');
  return `${(lastBreak > 0 ? cut.slice(0, lastBreak) : cut).trimEnd()}\n(plan cut at ${MAX_PLAN_CHARS} characters)`;
}

import { markdownLines, parseFencedBlocks } from '../../src/text/markdown-fences.ts';

const MAX_PLAN_CHARS = 1500;

/**
 * The planner's reply, as the coder will see it: trimmed, fenced code blocks removed (the plan is prose; code
 * belongs to the coder), runs of blank lines collapsed, and cut at a line boundary after 1500 characters.
 * An empty plan is ''.
 */
export function parsePlanReply(reply: string): string {
  const inBlock = new Set<number>();
  for (const block of parseFencedBlocks(reply))
    for (let line = block.openLine; line <= block.closeLine; line++) inBlock.add(line);
  const kept = markdownLines(reply)
    .filter((_, i) => !inBlock.has(i + 1))
    .map((line) => line.trimEnd());
  const prose = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (prose.length <= MAX_PLAN_CHARS) return prose;
  const cut = prose.slice(0, MAX_PLAN_CHARS);
  const lastBreak = cut.lastIndexOf('\n');
  return `${(lastBreak > 0 ? cut.slice(0, lastBreak) : cut).trimEnd()}\n(plan cut at ${MAX_PLAN_CHARS} characters)`;
}

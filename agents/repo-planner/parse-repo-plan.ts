export interface RepoPlan {
  /** The whole reply, trimmed: what the coder and critic are shown. */
  text: string;
  /** Paths listed under FILES:, in order, deduplicated. */
  files: string[];
}

/** Reads the planner's reply. A reply without a FILES: section is still a plan (with no files named). */
export function parseRepoPlan(reply: string): RepoPlan {
  const text = reply.trim();
  const files: string[] = [];
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*\**FILES\**\s*:/i.test(l));
  if (start >= 0) {
    for (const line of lines.slice(start + 1)) {
      const match = /^\s*[-*]\s+`?([^`\s]+)`?\s*$/.exec(line);
      if (match) {
        if (!files.includes(match[1]!)) files.push(match[1]!);
      } else if (line.trim() !== '') break;
    }
  }
  return { text, files };
}

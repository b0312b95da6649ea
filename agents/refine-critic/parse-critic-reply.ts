const MAX_ANALYSIS_CHARS = 1200;

/** The critic model's analysis: trimmed, code blocks kept (a one-line fix is useful), capped in length. */
export function parseCriticReply(reply: string): string {
  const text = reply
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text.length <= MAX_ANALYSIS_CHARS ? text : `${text.slice(0, MAX_ANALYSIS_CHARS).trimEnd()} (cut)`;
}

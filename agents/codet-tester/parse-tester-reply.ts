/**
 * Turns a tester reply into the text that test extraction reads. Plain text (a continuation of the open
 * `assert `) is returned unchanged; a reply with Markdown code blocks gives all their code, joined by newlines,
 * so prose around them cannot turn into asserts. Extraction splits on `assert `, so a block that starts with
 * a complete `assert ...` line works as well as a bare continuation.
 */
export function parseTesterReply(reply: string): string {
  const blocks = [...reply.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  if (blocks.length === 0) return reply;
  return blocks.join('\n');
}

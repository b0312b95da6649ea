import { parseFencedBlocks } from '../../src/text/markdown-fences.ts';

/**
 * Turns a tester reply into the text that test extraction reads. Plain text (a continuation of the open
 * `assert `) is returned unchanged; a reply with Markdown code blocks gives all their code, joined by newlines,
 * so prose around them cannot turn into asserts. Extraction splits on `assert `, so a block that starts with
 * a complete `assert ...` line works as well as a bare continuation. Fence rules: src/text/markdown-fences.ts
 * (until it, an unanchored /```[^\n`]*\n([\s\S]*?)```/; the 16,400 recorded CodeGen test samples parse the
 * same under both, none holds a fence).
 */
export function parseTesterReply(reply: string): string {
  const blocks = parseFencedBlocks(reply).map((block) => `${block.content}\n`);
  if (blocks.length === 0) return reply;
  return blocks.join('\n');
}

import { parseFencedBlocks } from '../../src/text/markdown-fences.ts';

/**
 * Turns a coder reply into a continuation of the task prompt (what CodeT calls a completion).
 * - Plain text (completion models, recorded samples) is already a continuation: returned unchanged.
 * - A reply with a Markdown code block: the first block's code. If it repeats the prompt, the text after the
 *   prompt; else if it redefines the entry point, what follows that `def` line's signature (helpers defined
 *   before it are lost, a known limit); else the code as is.
 * Truncation at stop markers happens later, on every completion alike.
 */
export function parseCoderReply(reply: string, prompt: string, entryPoint: string): string {
  const code = firstCodeBlock(reply);
  if (code === undefined) return reply;
  const promptAt = code.indexOf(prompt);
  if (prompt.length > 0 && promptAt !== -1) return code.slice(promptAt + prompt.length);
  const def = new RegExp(`^def\\s+${escapeRegExp(entryPoint)}\\s*\\(`, 'm').exec(code);
  if (def === null) return code;
  const signatureEnd = code.slice(def.index).search(/\)\s*(->[^\n:]*)?:[ \t]*(#[^\n]*)?\n/);
  if (signatureEnd === -1) return code;
  const afterColon = code.indexOf('\n', def.index + signatureEnd);
  return code.slice(afterColon + 1);
}

/**
 * The code of the first fenced block (fence rules: src/text/markdown-fences.ts; a block cut off at the end
 * counts), ending in a newline, or undefined when there is none. Until the shared parser this was the
 * unanchored /```[^\n`]*\n([\s\S]*?)```/; over the 16,400 recorded CodeGen solution samples both give the
 * same result (none holds a fence), so CodeT's figures do not move.
 */
export function firstCodeBlock(text: string): string | undefined {
  const block = parseFencedBlocks(text)[0];
  return block === undefined ? undefined : `${block.content}\n`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

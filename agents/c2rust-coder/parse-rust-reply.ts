import { parseFencedBlocks } from '../../src/text/markdown-fences.ts';

export type RustReply = { ok: true; code: string } | { ok: false; reason: string };

const RUST_TAGS = new Set(['rust', 'rs']);

/**
 * The Rust code of a coder reply: the fenced blocks tagged `rust`/`rs` (or untagged), joined in order; a reply
 * with no fence at all is taken whole when it looks like Rust (a recorded whole-file translation is plain source).
 */
export function parseRustReply(reply: string): RustReply {
  const text = reply.replace(/\r\n?/g, '\n');
  const blocks = parseFencedBlocks(text);
  const rust = blocks.filter((b) => RUST_TAGS.has(b.language));
  const untagged = blocks.filter((b) => b.language === '');
  const chosen = (rust.length > 0 ? rust : untagged).filter((b) => b.content.trim() !== '');
  if (chosen.length > 0) return { ok: true, code: `${chosen.map((b) => b.content.trimEnd()).join('\n\n')}\n` };
  if (blocks.length === 0 && /^\s*(\/\/|#!?\[|use |fn |pub |struct |enum |const |static |mod |impl |type )/m.test(text))
    return { ok: true, code: text.endsWith('\n') ? text : `${text}\n` };
  return { ok: false, reason: text.trim() === '' ? 'the reply was empty' : 'the reply held no ```rust code block' };
}

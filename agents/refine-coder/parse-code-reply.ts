import { type FencedBlock, parseFencedBlocks } from '../../src/text/markdown-fences.ts';

export type CodeReply = { ok: true; code: string } | { ok: false; reason: string };

const PYTHON_TAGS = new Set(['python', 'py', 'python3', 'py3']);
const CODE_START = /^(def |async def |class |import |from |@)/;

/**
 * Extracts the candidate from a coder reply.
 * - Fenced blocks (``` or ~~~) tagged python/py or untagged are candidates; blocks tagged with another
 *   language (```text, ```bash, ...) are ignored.
 * - Among candidates, the first that defines `entryPoint` wins; else the first python-tagged block; else the
 *   first untagged one.
 * - An unclosed fence (a reply cut off at the token limit) counts, up to the end of the reply: running it
 *   reports the syntax error, which is more useful feedback than "no code".
 * - A reply with no fence at all is taken as code only when it starts like Python code (`def`, `import`, ...).
 * - Anything else, or an empty block, is a parse failure whose reason the critic passes back to the coder.
 */
export function parseCodeReply(reply: string, entryPoint: string): CodeReply {
  const text = reply.replace(/\r\n?/g, '\n');
  const blocks = taggedBlocks(text);
  const candidates = blocks.filter((b) => b.tag === '' || PYTHON_TAGS.has(b.tag));
  const defines = new RegExp(`^(async\\s+)?def\\s+${entryPoint}\\s*\\(`, 'm');
  const usable = candidates.filter((b) => b.content.trim() !== '');
  const chosen = usable.find((b) => defines.test(b.content)) ?? usable.find((b) => b.tag !== '') ?? usable[0];
  if (chosen) return { ok: true, code: tidy(chosen.content) };
  if (candidates.length > 0) return { ok: false, reason: 'the reply contained an empty code block' };
  const trimmed = text.trim();
  if (blocks.length === 0 && CODE_START.test(trimmed)) return { ok: true, code: tidy(trimmed) };
  if (trimmed === '') return { ok: false, reason: 'the reply was empty' };
  return { ok: false, reason: 'the reply contained no ```python code block' };
}

/**
 * The reply's fenced blocks (fence rules: src/text/markdown-fences.ts), each with the tag this parser reads:
 * the info string's leading `[A-Za-z0-9_+-]` run, lower-cased, so ```python3.10 and ```python{.x} are python.
 */
function taggedBlocks(text: string): (FencedBlock & { tag: string })[] {
  return parseFencedBlocks(text).map((block) => ({
    ...block,
    tag: (/^[A-Za-z0-9_+-]*/.exec(block.info)?.[0] ?? '').toLowerCase(),
  }));
}

function tidy(code: string): string {
  return code
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+/, '')
    .replace(/\n+$/, '');
}

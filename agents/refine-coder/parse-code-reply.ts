export type CodeReply = { ok: true; code: string } | { ok: false; reason: string };

const PYTHON_TAGS = new Set(['python', 'py', 'python3', 'py3']);
const CODE_START = /^(def |async def |class |import |from |@)/;

interface Fence {
  tag: string;
  body: string;
  closed: boolean;
}

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
  const fences = findFences(text).filter((f) => f.tag === '' || PYTHON_TAGS.has(f.tag));
  const defines = new RegExp(`^(async\\s+)?def\\s+${entryPoint}\\s*\\(`, 'm');
  const usable = fences.filter((f) => f.body.trim() !== '');
  const chosen = usable.find((f) => defines.test(f.body)) ?? usable.find((f) => f.tag !== '') ?? usable[0];
  if (chosen) return { ok: true, code: tidy(chosen.body) };
  if (fences.length > 0) return { ok: false, reason: 'the reply contained an empty code block' };
  const trimmed = text.trim();
  if (findFences(text).length === 0 && CODE_START.test(trimmed)) return { ok: true, code: tidy(trimmed) };
  if (trimmed === '') return { ok: false, reason: 'the reply was empty' };
  return { ok: false, reason: 'the reply contained no ```python code block' };
}

function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  const lines = text.split('\n');
  let open: { marker: string; tag: string; body: string[] } | null = null;
  for (const line of lines) {
    if (open) {
      if (line.trim().startsWith(open.marker) && line.trim().replace(/^[`~]+/, '').trim() === '') {
        fences.push({ tag: open.tag, body: open.body.join('\n'), closed: true });
        open = null;
      } else open.body.push(line);
      continue;
    }
    const start = /^\s{0,3}(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)[^`]*$/.exec(line);
    if (start) open = { marker: start[1]!, tag: start[2]!.toLowerCase(), body: [] };
  }
  if (open) fences.push({ tag: open.tag, body: open.body.join('\n'), closed: false });
  return fences;
}

function tidy(code: string): string {
  return code.replace(/[ \t]+$/gm, '').replace(/^\n+/, '').replace(/\n+$/, '');
}

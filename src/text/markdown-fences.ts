/**
 * Markdown fenced code blocks, read and written by one set of rules (CommonMark's, for fences only):
 * - an opening fence is a line with 0-3 spaces of indentation, then 3 or more backticks or 3 or more tildes,
 *   then an optional info string (which may not contain a backtick after a backtick fence);
 * - the closing fence uses the same character, is at least as long as the opening one, has 0-3 spaces of
 *   indentation and nothing after it but spaces or tabs;
 * - each content line loses up to as many leading spaces as the opening fence was indented;
 * - a fence that is never closed runs to the end of the text (`closed: false`), e.g. a reply cut at the token
 *   limit.
 * Everything else about Markdown (lists, block quotes, indented code) is ignored: agent replies are read
 * line by line. Line ends (CRLF, CR) are normalised to LF first.
 */

export interface FenceOpening {
  /** Spaces before the fence (0-3). */
  indent: number;
  /** The fence run as written: '```', '~~~~', ... */
  fence: string;
  /** The info string, trimmed ('' when absent). */
  info: string;
}

export interface FencedBlock extends FenceOpening {
  /** First word of the info string, lower-cased: the block's language tag ('' when untagged). */
  language: string;
  /** The lines between the fences, joined with '\n', without a final newline. */
  content: string;
  /** 1-based line of the opening fence. */
  openLine: number;
  /** 1-based line of the closing fence; for an unclosed block, the text's last line. */
  closeLine: number;
  closed: boolean;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** The fence a line opens, or undefined when the line opens none. */
export function fenceOpening(line: string): FenceOpening | undefined {
  const match = OPENING.exec(line);
  if (!match) return undefined;
  const fence = match[2]!;
  const info = match[3]!;
  if (fence.startsWith('`') && info.includes('`')) return undefined;
  return { indent: match[1]!.length, fence, info: info.trim() };
}

/** Whether `line` closes a block opened by `fence`. */
export function closesFence(line: string, fence: string): boolean {
  const match = CLOSING.exec(line);
  return match !== null && match[1]![0] === fence[0] && match[1]!.length >= fence.length;
}

/** The lines of a text as Markdown sees them: line ends normalised, no empty line after a final newline. */
export function markdownLines(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  if (normalised === '') return [];
  const lines = normalised.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Every fenced block of `text`, in order. Fences do not nest: inside a block, only its closing fence counts. */
export function parseFencedBlocks(text: string): FencedBlock[] {
  const lines = markdownLines(text);
  const blocks: FencedBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const opening = fenceOpening(lines[i]!);
    if (!opening) {
      i++;
      continue;
    }
    const openLine = i + 1;
    const content: string[] = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i]!;
      if (closesFence(line, opening.fence)) {
        closed = true;
        break;
      }
      content.push(dedent(line, opening.indent));
    }
    const closeLine = closed ? i + 1 : Math.max(openLine, lines.length);
    blocks.push({
      ...opening,
      language: (opening.info.split(/\s/, 1)[0] ?? '').toLowerCase(),
      content: content.join('\n'),
      openLine,
      closeLine,
      closed,
    });
    i++;
  }
  return blocks;
}

/**
 * `content` in a backtick fence that nothing inside it can close: one backtick longer than the longest run of
 * backticks in the content (at least three). A final newline is added unless the content has one.
 */
export function fenceText(content: string, info = ''): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = content === '' || content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${info}\n${body}${fence}`;
}

function dedent(line: string, indent: number): string {
  let cut = 0;
  while (cut < indent && line[cut] === ' ') cut++;
  return line.slice(cut);
}

import { fenceOpening } from '../text/markdown-fences.ts';
import type { EditBlock } from './edit-block.ts';
import { EditParseError } from './edit-parse-error.ts';
import { parseSearchMarker, stripAnyLineNumbers, stripLineNumbers } from './line-anchor.ts';

const SEARCH_MARKER = { test: (line: string) => parseSearchMarker(line) !== undefined };
const DIVIDER = /^={5,9}\s*$/;
const REPLACE_MARKER = /^>{5,9} REPLACE\s*$/;

/**
 * Parses Aider-style blocks out of a model reply:
 *
 *     path/to/file.py
 *     ```python
 *     <<<<<<< SEARCH
 *     old lines
 *     =======
 *     new lines
 *     >>>>>>> REPLACE
 *     ```
 *
 * The path is the nearest non-blank, non-fence line (a fence at any indentation) above the SEARCH marker (decorations such as
 * backticks, `**`, `#` and a trailing `:` are stripped); a block with no path line reuses the
 * previous block's path. A path line may not contain whitespace. Text outside blocks is ignored.
 *
 * A block may carry a line anchor (`<<<<<<< SEARCH line 120`, or SEARCH lines copied with the tools' line
 * numbers `120| text`, which are removed, as they are from REPLACE when every REPLACE line has one): see
 * line-anchor.ts.
 */
export function parseEditBlocks(reply: string): EditBlock[] {
  const lines = reply.replace(/\r\n/g, '\n').split('\n');
  const blocks: EditBlock[] = [];
  let previousPath: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (DIVIDER.test(line) || REPLACE_MARKER.test(line)) {
      throw new EditParseError(i + 1, `'${line.trim()}' outside a block (a block starts with '<<<<<<< SEARCH')`);
    }
    if (!SEARCH_MARKER.test(line)) {
      i += 1;
      continue;
    }
    const markerLine = i + 1;
    const marker = parseSearchMarker(line);
    const path = pathAbove(lines, i) ?? previousPath;
    if (path === undefined) {
      throw new EditParseError(markerLine, 'no file path on the line above the block');
    }
    const search: string[] = [];
    const replace: string[] = [];
    i += 1;
    while (i < lines.length && !DIVIDER.test(lines[i] ?? '')) {
      const l = lines[i] ?? '';
      if (SEARCH_MARKER.test(l) || REPLACE_MARKER.test(l)) {
        throw new EditParseError(i + 1, `expected '=======' before '${l.trim()}'`);
      }
      search.push(l);
      i += 1;
    }
    if (i >= lines.length) throw new EditParseError(markerLine, "unterminated block: no '=======' divider");
    i += 1;
    while (i < lines.length && !REPLACE_MARKER.test(lines[i] ?? '')) {
      const l = lines[i] ?? '';
      if (SEARCH_MARKER.test(l) || DIVIDER.test(l)) {
        throw new EditParseError(i + 1, `expected '>>>>>>> REPLACE' before '${l.trim()}'`);
      }
      replace.push(l);
      i += 1;
    }
    if (i >= lines.length) throw new EditParseError(markerLine, "unterminated block: no '>>>>>>> REPLACE' marker");
    i += 1;
    const numbered = stripLineNumbers(search);
    const anchorLine = marker?.anchorLine ?? numbered.firstLine;
    blocks.push({
      path,
      search: joinLines(numbered.lines),
      replace: joinLines(numbered.firstLine !== undefined ? stripAnyLineNumbers(replace) : replace),
      replyLine: markerLine,
      ...(anchorLine !== undefined ? { anchorLine } : {}),
    });
    previousPath = path;
  }
  return blocks;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function pathAbove(lines: string[], markerIndex: number): string | undefined {
  for (let j = markerIndex - 1; j >= 0 && j >= markerIndex - 3; j--) {
    const raw = lines[j] ?? '';
    if (raw.trim() === '' || fenceOpening(raw.trimStart()) !== undefined) continue;
    if (REPLACE_MARKER.test(raw)) return undefined;
    const cleaned = raw
      .trim()
      .replace(/^#+\s*/, '')
      .replace(/^[*`'"]+|[*`'"]+$/g, '')
      .replace(/:$/, '')
      .replace(/^[*`'"]+|[*`'"]+$/g, '')
      .trim();
    // Prose ("Here is the fix:") is not a path; paths with spaces are not supported.
    return cleaned === '' || /\s/.test(cleaned) ? undefined : cleaned;
  }
  return undefined;
}

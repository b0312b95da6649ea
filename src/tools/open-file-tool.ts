import { z } from 'zod';
import { defineTool } from './exploration-tool.ts';
import { numberedLines } from './numbered-lines.ts';
import { readWorktreeText } from './read-worktree-file.ts';
import { toolError, toolOk } from './tool-result.ts';

/** Lines shown by one open_file call when no end line is given, and at most. */
export const OPEN_FILE_DEFAULT_LINES = 200;
export const OPEN_FILE_MAX_LINES = 400;

export const openFileTool = defineTool({
  name: 'open_file',
  description:
    `Show a text file of the repository, or a range of its lines, with line numbers ("<number>| <line>"; the ` +
    `number and "| " are not part of the file). Without end_line it shows ${OPEN_FILE_DEFAULT_LINES} lines from ` +
    `start_line; at most ${OPEN_FILE_MAX_LINES} lines per call.`,
  arguments: z
    .object({
      path: z.string().min(1).describe('file path relative to the repository root'),
      start_line: z
        .number()
        .int()
        .min(1)
        .max(10_000_000)
        .optional()
        .describe('first line to show (1-based), default 1'),
      end_line: z.number().int().min(1).max(10_000_000).optional().describe('last line to show, inclusive'),
    })
    .strict(),
  async run(args, workspace) {
    const file = readWorktreeText(workspace.root, args.path);
    if (!file.ok) return toolError(file.detail);
    const lines = splitLines(file.text);
    const total = lines.length;
    if (total === 0) return toolOk(`${file.path}: empty file`);
    const start = args.start_line ?? 1;
    if (start > total) return toolError(`${file.path} has ${total} lines; start_line ${start} is past its end`);
    const wanted = args.end_line ?? start + OPEN_FILE_DEFAULT_LINES - 1;
    if (wanted < start) return toolError(`end_line ${wanted} is before start_line ${start}`);
    const end = Math.min(wanted, total, start + OPEN_FILE_MAX_LINES - 1);
    const header = `${file.path}: lines ${start}-${end} of ${total} (${file.bytes} bytes)`;
    const more = end < total ? `\n... ${total - end} more lines; open_file with start_line ${end + 1} to read on` : '';
    return toolOk(`${header}\n${numberedLines(lines.slice(start - 1, end), start, total)}${more}`);
  },
});

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

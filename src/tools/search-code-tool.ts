import { z } from 'zod';
import { defineTool } from './exploration-tool.ts';
import { readWorktreeText } from './read-worktree-file.ts';
import { toolError, toolOk } from './tool-result.ts';

const DEFAULT_RESULTS = 50;
const MAX_RESULTS = 200;
/** Longer lines are cut in results, and only their first part is searched (keeps a bad pattern cheap). */
const MAX_LINE = 2_000;
const SHOWN_LINE = 200;
/** A group containing + or * that is itself repeated: the classic catastrophic-backtracking shape. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,)/;

export const searchCodeTool = defineTool({
  name: 'search_code',
  description:
    "Search the contents of the repository's files with a JavaScript regular expression. Answers " +
    '"path:line: text" for each matching line, in file order. Binary files are skipped.',
  arguments: z
    .object({
      pattern: z.string().min(1).describe('regular expression (JavaScript syntax), e.g. "def mean\\\\(" or "TODO"'),
      path: z.string().optional().describe('only files under this folder, or this one file'),
      ignore_case: z.boolean().optional().describe('match case-insensitively'),
      max_results: z.number().int().min(1).max(MAX_RESULTS).optional().describe(`default ${DEFAULT_RESULTS}`),
    })
    .strict(),
  async run(args, workspace) {
    if (NESTED_QUANTIFIER.test(args.pattern))
      return toolError(
        'a quantified group that contains a quantifier (like (a+)+) can take exponential time and is refused; simplify the pattern',
      );
    let regex: RegExp;
    try {
      regex = new RegExp(args.pattern, args.ignore_case ? 'i' : '');
    } catch (error) {
      return toolError(`invalid regular expression: ${(error as Error).message}`);
    }
    const prefix = normalisePrefix(args.path);
    const files = (await workspace.listFiles()).filter(
      (f) => prefix === undefined || f === prefix || f.startsWith(`${prefix}/`),
    );
    if (prefix !== undefined && files.length === 0)
      return toolError(`no repository file is under ${JSON.stringify(args.path)}`);
    const limit = args.max_results ?? DEFAULT_RESULTS;
    const hits: string[] = [];
    let total = 0;
    for (const path of files) {
      const file = readWorktreeText(workspace.root, path);
      if (!file.ok) continue;
      const lines = file.text.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const line = (lines[i] ?? '').slice(0, MAX_LINE);
        if (!regex.test(line)) continue;
        total += 1;
        if (hits.length < limit) {
          const shown = line.length > SHOWN_LINE ? `${line.slice(0, SHOWN_LINE)}...` : line;
          hits.push(`${file.path}:${i + 1}: ${shown.trim()}`);
        }
      }
    }
    if (total === 0) return toolOk(`no match for /${args.pattern}/ in ${files.length} files`);
    const more =
      total > hits.length ? `\n... ${total - hits.length} more matches (narrow the pattern or the path)` : '';
    return toolOk(`${total} matching lines\n${hits.join('\n')}${more}`);
  },
});

function normalisePrefix(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const trimmed = path
    .trim()
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? undefined : trimmed;
}

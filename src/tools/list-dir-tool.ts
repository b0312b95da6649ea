import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool } from './exploration-tool.ts';
import { resolveWorktreePath } from './read-worktree-file.ts';
import { toolError, toolOk } from './tool-result.ts';

const MAX_ENTRIES = 500;

export const listDirTool = defineTool({
  name: 'list_dir',
  description:
    'List a folder of the repository: sub-folders (ending in "/") and files with their sizes in bytes. ' +
    'Path "." is the repository root.',
  arguments: z
    .object({ path: z.string().default('.').describe('folder path relative to the repository root, default "."') })
    .strict(),
  async run(args, workspace) {
    const folder = resolveWorktreePath(workspace.root, args.path);
    if (!folder.ok) return toolError(folder.detail);
    let names: string[];
    try {
      if (!statSync(folder.absolute).isDirectory())
        return toolError(`${folder.relative} is a file; open it with open_file`);
      names = readdirSync(folder.absolute).filter((n) => n !== '.git');
    } catch {
      return toolError(`${folder.relative} does not exist`);
    }
    names.sort();
    const lines: string[] = [];
    for (const name of names.slice(0, MAX_ENTRIES)) {
      const rel = folder.relative === '.' ? name : `${folder.relative}/${name}`;
      // Stat through the checked resolver: a symlink entry is shown as one, never followed.
      const entry = resolveWorktreePath(workspace.root, rel);
      if (!entry.ok) {
        lines.push(`${name} (symbolic link, not followed)`);
        continue;
      }
      const stat = statSync(join(folder.absolute, name));
      lines.push(stat.isDirectory() ? `${name}/` : `${name} (${stat.size} bytes)`);
    }
    const more = names.length > MAX_ENTRIES ? `\n... and ${names.length - MAX_ENTRIES} more entries` : '';
    return toolOk(`${folder.relative}/ (${names.length} entries)\n${lines.join('\n')}${more}`);
  },
});

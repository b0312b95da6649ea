import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyEditToText } from './apply-edit-to-text.ts';
import type { EditBlock } from './edit-block.ts';
import type { EditFailure } from './edit-failure.ts';
import { resolveInsideRoot } from './resolve-inside-root.ts';

export interface ApplyEditsResult {
  applied: EditBlock[];
  failures: EditFailure[];
  /** Relative paths whose contents changed (or were created), in first-touched order. */
  changedFiles: string[];
}

/**
 * Applies blocks in order against `root`. Each block sees the result of the blocks before it.
 * Blocks that fail are reported and skipped; the others are written. Nothing outside `root` is
 * read or written.
 */
export function applyEditBlocks(root: string, blocks: EditBlock[]): ApplyEditsResult {
  const pending = new Map<
    string,
    {
      absolute: string;
      content: string | null;
      original: string | null;
      /** Lines added (or removed) by this reply's earlier blocks, by where they applied: anchors refer to the file as shown. */
      shifts: { line: number; delta: number }[];
    }
  >();
  const applied: EditBlock[] = [];
  const failures: EditFailure[] = [];
  for (const block of blocks) {
    const resolved = resolveInsideRoot(root, block.path);
    if (!resolved.ok) {
      failures.push({ block, kind: 'unsafe-path', detail: resolved.detail });
      continue;
    }
    let file = pending.get(resolved.relative);
    if (!file) {
      const onDisk = existsSync(resolved.absolute);
      if (onDisk && !statSync(resolved.absolute).isFile()) {
        failures.push({ block, kind: 'unsafe-path', detail: `'${block.path}' is not a regular file` });
        continue;
      }
      const original = onDisk ? readFileSync(resolved.absolute, 'utf8') : null;
      file = { absolute: resolved.absolute, content: original, original, shifts: [] };
      pending.set(resolved.relative, file);
    }
    if (block.search === '') {
      if (file.content !== null && file.content !== '') {
        failures.push({ block, kind: 'file-exists' });
        continue;
      }
      file.content = block.replace;
      applied.push(block);
      continue;
    }
    if (file.content === null) {
      failures.push({ block, kind: 'file-missing' });
      continue;
    }
    const anchor =
      block.anchorLine === undefined
        ? undefined
        : block.anchorLine +
          file.shifts.filter((s) => s.line < (block.anchorLine ?? 0)).reduce((n, s) => n + s.delta, 0);
    const result = applyEditToText(file.content, block.search, block.replace, anchor);
    if (!result.ok) {
      failures.push({ block, ...result.reason });
      continue;
    }
    file.shifts.push({ line: result.line, delta: lineCount(block.replace) - lineCount(block.search) });
    file.content = result.content;
    applied.push(block);
  }
  const changedFiles: string[] = [];
  for (const [relative, file] of pending) {
    if (file.content === null || file.content === file.original) continue;
    mkdirSync(dirname(file.absolute), { recursive: true });
    writeFileSync(file.absolute, file.content);
    changedFiles.push(relative);
  }
  return { applied, failures, changedFiles };
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { TaskError } from '../runtime/task-error.ts';

/** One task of a batch: valid (`task`) or reported (`error`, naming the file, line or entry, and the key). */
export interface BatchTaskEntry {
  /** Position in the task set (0-based): the results table's order. */
  index: number;
  /** The task's `id` when it has a string one, else `task-<n>`; unique in the batch, safe as a file name. */
  id: string;
  /** Where it came from: `tasks.jsonl:3`, `tasks.json[2]`, `dir/a.json`. */
  source: string;
  task?: unknown;
  error?: string;
}

const TASK_FILE = /\.(json|ya?ml)$/i;

/**
 * The tasks of a batch, each validated with the pipeline's task schema. `path` is a JSON Lines file (one task a
 * line), a JSON or YAML file holding a list of tasks (or one task), or a directory whose `.json`/`.yaml` files are
 * one task each (sorted by name). A task that does not parse or validate becomes an entry with `error`; only an
 * unreadable path throws (exit 2).
 */
export function loadBatchTasks(path: string, schema: z.ZodType, cwd: string): BatchTaskEntry[] {
  const shown = relative(cwd, path).startsWith('..') ? path : relative(cwd, path) || path;
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new TaskError(shown, '', `cannot read tasks (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const raw: { source: string; data?: unknown; error?: string; name?: string }[] = [];
  if (isDir) {
    const files = readdirSync(path)
      .filter((f) => TASK_FILE.test(f))
      .sort();
    if (files.length === 0) throw new TaskError(shown, '', 'the directory holds no .json or .yaml task file');
    for (const file of files) {
      const source = join(shown, file);
      raw.push({ ...parseText(readFileSync(join(path, file), 'utf8'), source), name: basename(file, extname(file)) });
    }
  } else {
    const text = readFileSync(path, 'utf8');
    if (/\.jsonl$/i.test(path)) {
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        const source = `${shown}:${i + 1}`;
        try {
          raw.push({ source, data: JSON.parse(line) });
        } catch (error) {
          raw.push({ source, error: `${source}: not valid JSON (${(error as Error).message})` });
        }
      });
    } else {
      const parsed = parseText(text, shown);
      if (parsed.error !== undefined) raw.push(parsed);
      else if (Array.isArray(parsed.data))
        parsed.data.forEach((data, i) => {
          raw.push({ source: `${shown}[${i}]`, data });
        });
      else raw.push(parsed);
    }
  }
  const used = new Set<string>();
  return raw.map((entry, index) => {
    const id = uniqueId(idOf(entry.data) ?? entry.name ?? `task-${index + 1}`, used);
    if (entry.error !== undefined) return { index, id, source: entry.source, error: entry.error };
    return { index, id, source: entry.source, ...validateBatchTask(entry.source, entry.data, schema) };
  });
}

/** One task checked with the pipeline's task schema: the parsed task, or the error naming its source and key. */
export function validateBatchTask(
  source: string,
  data: unknown,
  schema: z.ZodType,
): { task: unknown; error?: never } | { task?: never; error: string } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { task: parsed.data };
  const issue = parsed.error.issues[0];
  const key = issue?.path.join('.') ?? '';
  return { error: `${source}${key ? `: ${key}` : ''}: ${issue?.message ?? 'invalid task'}` };
}

function parseText(text: string, source: string): { source: string; data?: unknown; error?: string } {
  try {
    return { source, data: parseYaml(text) };
  } catch (error) {
    return { source, error: `${source}: not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

function idOf(data: unknown): string | undefined {
  const id = data && typeof data === 'object' ? (data as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.trim() !== '' ? id : typeof id === 'number' ? String(id) : undefined;
}

function uniqueId(wanted: string, used: Set<string>): string {
  const safe = wanted.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'task';
  let id = safe;
  for (let n = 2; used.has(id); n++) id = `${safe}-${n}`;
  used.add(id);
  return id;
}

import { createHash } from 'node:crypto';
import { readFileSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { PromptError } from './prompt-error.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface PromptTemplate {
  path: string;
  text: string;
  sha256: string;
}

export function loadPromptTemplate(file: string, baseDir: string): PromptTemplate {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  // Read once per file version: agents load their prompts on every call (a long run or a replay makes thousands),
  // and a stat is cheaper than reading and hashing; an edited file (new mtime or size) is read again.
  let stat: Stats | undefined;
  try {
    stat = statSync(path);
  } catch {
    stat = undefined;
  }
  const cached = stat ? loaded.get(path) : undefined;
  if (cached && stat && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.template;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PromptError(file, `cannot read prompt file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const template = Object.freeze({ path, text, sha256: createHash('sha256').update(text).digest('hex') });
  if (stat) loaded.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, template });
  return template;
}

const loaded = new Map<string, { mtimeMs: number; size: number; template: PromptTemplate }>();

/**
 * Replaces `{{name}}` placeholders. A placeholder with no value is an error naming the file and line,
 * so a renamed variable never silently produces an empty prompt.
 */
export function renderPrompt(template: PromptTemplate, vars: Record<string, string>): string {
  return template.text.replace(PLACEHOLDER, (match, name: string, offset: number) => {
    const value = vars[name];
    if (value === undefined) {
      const line = template.text.slice(0, offset).split('\n').length;
      throw new PromptError(template.path, `no value for placeholder ${match}`, line);
    }
    return value;
  });
}

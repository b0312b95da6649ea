import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { TaskError } from './task-error.ts';

/** Reads a JSON or YAML task file and validates it with the pipeline's task schema. */
export function loadTaskFile<T>(file: string, schema: z.ZodType<T>): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TaskError(file, '', `cannot read task file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new TaskError(file, '', `not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return validateTask(file, data, schema);
}

export function validateTask<T>(source: string, data: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TaskError(source, issue?.path.join('.') ?? '', issue?.message ?? 'invalid task');
  }
  return parsed.data;
}

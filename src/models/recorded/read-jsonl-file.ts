import { readFileSync } from 'node:fs';
import { RecordingFormatError } from './recording-format-error.ts';

export interface JsonlRow {
  /** 1-based line number, for error messages. */
  line: number;
  value: Record<string, unknown>;
}

/** Reads a JSONL file of objects; blank lines are skipped. */
export function readJsonlFile(file: string): JsonlRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RecordingFormatError(
      file,
      undefined,
      undefined,
      `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const rows: JsonlRow[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new RecordingFormatError(file, index + 1, undefined, `not valid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RecordingFormatError(file, index + 1, undefined, 'expected a JSON object');
    }
    rows.push({ line: index + 1, value: value as Record<string, unknown> });
  });
  return rows;
}

export function stringField(file: string, row: JsonlRow, key: string): string {
  const value = row.value[key];
  if (typeof value !== 'string') throw new RecordingFormatError(file, row.line, key, 'expected a string');
  return value;
}

export function stringArrayField(file: string, row: JsonlRow, key: string): string[] {
  const value = row.value[key];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new RecordingFormatError(file, row.line, key, 'expected an array of strings');
  }
  return value as string[];
}

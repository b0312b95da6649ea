import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { RecordingFormatError } from '../models/recorded/recording-format-error.ts';

/** A dataset file's text, gunzipped when it ends in `.gz`; an unreadable file is bad input naming it. */
export function readDatasetText(file: string): string {
  try {
    const raw = readFileSync(file);
    return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RecordingFormatError(file, undefined, undefined, `cannot read file (${code})`);
  }
}

/** JSON lines of a (possibly gzipped) file with their 1-based line numbers; blank lines skipped. */
export function readDatasetJsonLines(file: string): { line: number; value: unknown }[] {
  const rows: { line: number; value: unknown }[] = [];
  readDatasetText(file)
    .split('\n')
    .forEach((raw, index) => {
      if (raw.trim() === '') return;
      try {
        rows.push({ line: index + 1, value: JSON.parse(raw) });
      } catch (error) {
        throw new RecordingFormatError(file, index + 1, undefined, `not valid JSON: ${(error as Error).message}`);
      }
    });
  return rows;
}

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { RecordingFormatError } from '../../models/recorded/recording-format-error.ts';
import {
  type MutapDatasetTask,
  type MutapTotals,
  mutapDatasetTaskSchema,
  mutapTotalsSchema,
} from './mutap-dataset-schema.ts';

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new RecordingFormatError(
      file,
      undefined,
      undefined,
      `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

const issueText = (issue: { path: PropertyKey[]; message: string }) =>
  `${issue.path.map(String).join('.') || '(line)'}: ${issue.message}`;

/** Reads the MuTAP slice (JSONL, gzipped when the name ends in .gz), one task per line, in file order. */
export function loadMutapDataset(file: string): MutapDatasetTask[] {
  const seen = new Set<string>();
  const tasks: MutapDatasetTask[] = [];
  readText(file)
    .split('\n')
    .forEach((raw, index) => {
      if (raw.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        throw new RecordingFormatError(file, index + 1, undefined, `not valid JSON: ${(error as Error).message}`);
      }
      const parsed = mutapDatasetTaskSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new RecordingFormatError(file, index + 1, issue.path.map(String).join('.'), issueText(issue));
      }
      if (seen.has(parsed.data.task))
        throw new RecordingFormatError(file, index + 1, 'task', `duplicate task '${parsed.data.task}'`);
      seen.add(parsed.data.task);
      tasks.push(parsed.data);
    });
  return tasks;
}

/** Reads `ms_dev_totals.json`. */
export function loadMutapTotals(file: string): MutapTotals {
  let value: unknown;
  try {
    value = JSON.parse(readText(file));
  } catch (error) {
    if (RecordingFormatError.isInstance(error)) throw error;
    throw new RecordingFormatError(file, undefined, undefined, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = mutapTotalsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RecordingFormatError(file, undefined, issue.path.map(String).join('.'), issueText(issue));
  }
  return parsed.data;
}

import type { z } from 'zod';
import { RecordingFormatError } from '../models/recorded/recording-format-error.ts';

/** A row checked against its schema; the first problem is bad input naming the file, the line and the key. */
export function parseDatasetRow<T extends z.ZodType>(
  schema: T,
  file: string,
  line: number | undefined,
  value: unknown,
) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = parsed.error.issues[0]!;
  const key = issue.path.length > 0 ? issue.path.join('.') : undefined;
  throw new RecordingFormatError(file, line, key, issue.message);
}

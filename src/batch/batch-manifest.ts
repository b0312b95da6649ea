import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TaskError } from '../runtime/task-error.ts';

/** `batch.json` in a batch directory: what `refinery batch --resume DIR` runs again. */
export const batchManifestSchema = z.object({
  version: z.literal(1),
  /** Absolute paths, so the batch resumes from any directory. */
  config: z.string(),
  set: z.array(z.string()),
  tasks: z.string(),
  pipeline: z.string(),
  createdAt: z.string(),
  /** The batch's id: its queue jobs are `<id>.<task id>` (`refinery batch --queue`, src/queue/). */
  id: z.string().optional(),
  /** The job queue it was submitted to (`--queue`), when it was. */
  queue: z.string().optional(),
  /** The run store its runs went to (`--store`), when not this directory. */
  store: z.string().optional(),
});
export type BatchManifest = z.infer<typeof batchManifestSchema>;

export const MANIFEST_FILE = 'batch.json';

export function readBatchManifest(dir: string): BatchManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new TaskError(dir, '', `not a batch directory (no ${MANIFEST_FILE}); nothing to resume`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TaskError(path, '', `not valid JSON (${(error as Error).message})`);
  }
  const parsed = batchManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TaskError(path, issue?.path.join('.') ?? '', issue?.message ?? 'invalid manifest');
  }
  return parsed.data;
}

export function writeBatchManifest(dir: string, manifest: BatchManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

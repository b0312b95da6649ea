import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { budgetTotals } from '../trajectory/trajectory-events.ts';

/** One row of a batch's results table (`results.jsonl`): how one task ended. */
export const batchResultRow = z.object({
  index: z.number().int().nonnegative(),
  id: z.string(),
  source: z.string(),
  /** A run's exit status (README "Exit statuses"); `invalid-input` for a task that did not validate (never run). */
  status: z.string(),
  exitCode: z.number().int(),
  summary: z.string(),
  /** The pipeline's result (partial after a budget stop or a cancel); null when it did not run or errored. */
  result: z.unknown(),
  totals: budgetTotals.nullable(),
  /** The task's trajectory, relative to the batch directory; null for a task that never ran. */
  trajectory: z.string().nullable(),
});
export type BatchResultRow = z.infer<typeof batchResultRow>;

/** Appends one row as the task ends (one write), so a batch killed later keeps it. */
export function appendResultRow(path: string, row: BatchResultRow): void {
  appendFileSync(path, `${JSON.stringify(row)}\n`);
}

/** The rows written so far; a torn last line (a batch killed while writing it) is skipped; the last row of an id wins. */
export function readResultRows(path: string): BatchResultRow[] {
  if (!existsSync(path)) return [];
  const byId = new Map<string, BatchResultRow>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const row = batchResultRow.safeParse(json);
    if (row.success) byId.set(row.data.id, row.data);
  }
  return [...byId.values()].sort((a, b) => a.index - b.index);
}

/** Rewrites the table in task order (through a temporary file and a rename: never half written). */
export function writeResultRows(path: string, rows: BatchResultRow[]): void {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  writeFileSync(`${path}.tmp`, sorted.map((row) => `${JSON.stringify(row)}\n`).join(''));
  renameSync(`${path}.tmp`, path);
}

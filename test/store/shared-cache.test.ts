import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePythonMatrix } from '../../src/execution/batch/evaluate-python-matrix.ts';
import { PythonWorkerPool } from '../../src/execution/batch/python-worker-pool.ts';
import { ResultCache } from '../../src/execution/cache/result-cache.ts';
import { openStore } from '../../src/store/open-store.ts';
import { REPO_ROOT } from '../support/loopback-model.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';
import { MATRIX_REQUEST } from './shared-cache-child.ts';

// The execution result cache shared through the PostgreSQL store: a matrix this process executed is a hit in a
// second process (a child) with an empty disk cache of its own (nothing executed again), with the same matrix.
let db: FreshDatabase | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'refinery-shared-cache-'));
beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await db?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

interface ChildReport {
  matrix: boolean[][];
  stats: { executed: number; cached: number };
  counters: { sharedHits: number; writes: number };
}

/** The matrix evaluated here, with the store open (its cache shared) and an empty disk cache. */
async function evaluateHere(cacheDir: string): Promise<ChildReport> {
  const store = await openStore(db!.url);
  const pool = new PythonWorkerPool({ size: 1 });
  const cache = new ResultCache(join(scratch, cacheDir));
  try {
    const result = await evaluatePythonMatrix(MATRIX_REQUEST, { pool, cache });
    return { matrix: result.matrix, stats: result.stats, counters: cache.counters };
  } finally {
    await pool.close();
    await store.close();
  }
}

async function evaluateInChild(cacheDir: string): Promise<ChildReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', resolve(REPO_ROOT, 'test/store/shared-cache-child.ts'), db!.url, join(scratch, cacheDir)],
    { cwd: REPO_ROOT },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
}

describe('shared execution cache (PostgreSQL)', () => {
  it('an execution done in one process is a hit in another', async (t) => {
    if (!db) return t.skip('no PostgreSQL for the tests');
    const first = await evaluateHere('first');
    expect(first.stats).toMatchObject({ executed: 4, cached: 0 });
    expect(first.counters.writes).toBe(4);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM refinery_execution_cache');
    await client.end();
    expect(rows[0]?.n).toBe(4);

    const second = await evaluateInChild('second');
    expect(second.stats).toMatchObject({ executed: 0, cached: 4 });
    expect(second.counters.sharedHits).toBe(4);
    expect(second.matrix).toEqual(first.matrix);
    expect(first.matrix).toEqual([
      [true, true, true],
      [false, false, true],
      [true, true, true],
      [false, true, true],
    ]);
  });
});

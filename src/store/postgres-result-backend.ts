import type pg from 'pg';
import type { SharedResultBackend } from '../execution/cache/result-cache.ts';
import { withReconnect } from './postgres-connection.ts';

/**
 * The execution result cache shared by every worker of a store, in `refinery_execution_cache` (key: the
 * engine's content hash, value: its JSON). One query fetches a batch's keys; one insert writes a batch's new
 * entries (ON CONFLICT DO NOTHING: two workers that ran the same program wrote the same value).
 */
export class PostgresResultBackend implements SharedResultBackend {
  constructor(
    private readonly pool: pg.Pool,
    readonly label: string,
  ) {}

  async fetch(keys: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await withReconnect(() =>
      this.pool.query<{ key: string; value: string }>(
        'SELECT key, value FROM refinery_execution_cache WHERE key = ANY($1::text[])',
        [keys],
      ),
    );
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async store(entries: readonly (readonly [string, string])[]): Promise<void> {
    if (entries.length === 0) return;
    await withReconnect(() =>
      this.pool.query(
        `INSERT INTO refinery_execution_cache (key, value)
         SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO NOTHING`,
        [entries.map(([key]) => key), entries.map(([, value]) => value)],
      ),
    );
  }
}

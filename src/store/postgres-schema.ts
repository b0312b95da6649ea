import type pg from 'pg';
import { withReconnect } from './postgres-connection.ts';

/** The version of the `refinery_*` tables; a row in `refinery_schema`. */
export const STORE_SCHEMA_VERSION = 1;

/** The PostgreSQL schema (namespace) of LangGraph's checkpoint tables (its own names: checkpoints, checkpoint_blobs…). */
export const CHECKPOINT_SCHEMA = 'refinery_langgraph';

const TABLES = [
  `CREATE TABLE IF NOT EXISTS refinery_trajectory_events (
     run_id text NOT NULL,
     seq integer NOT NULL,
     type text NOT NULL,
     line text NOT NULL,
     written_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (run_id, seq))`,
  `CREATE TABLE IF NOT EXISTS refinery_execution_cache (
     key text PRIMARY KEY,
     value text NOT NULL,
     written_at timestamptz NOT NULL DEFAULT now())`,
];

/**
 * Creates the store's tables on first use: `refinery_schema` (one row: the version), the trajectory events, the
 * execution cache, and LangGraph's checkpoint tables (`setupCheckpoints`, its own migrations). Under an advisory
 * lock, so workers starting together create them once; a store written by a newer Refinery is refused.
 */
export async function ensureStoreSchema(pool: pg.Pool, setupCheckpoints: () => Promise<void>): Promise<number> {
  return withReconnect(async () => {
    const client = await pool.connect();
    try {
      await client.query(`SELECT pg_advisory_lock(hashtext('refinery_schema'))`);
      try {
        await client.query('CREATE TABLE IF NOT EXISTS refinery_schema (version integer NOT NULL)');
        const rows = (await client.query<{ version: number }>('SELECT version FROM refinery_schema')).rows;
        const found = rows[0]?.version;
        if (found !== undefined && found > STORE_SCHEMA_VERSION)
          throw new Error(
            `the store's tables are version ${found}; this Refinery knows version ${STORE_SCHEMA_VERSION} (upgrade Refinery)`,
          );
        if (found === undefined) {
          for (const statement of TABLES) await client.query(statement);
          await client.query('INSERT INTO refinery_schema (version) VALUES ($1)', [STORE_SCHEMA_VERSION]);
        }
        await setupCheckpoints();
        return found ?? STORE_SCHEMA_VERSION;
      } finally {
        await client.query(`SELECT pg_advisory_unlock(hashtext('refinery_schema'))`).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  });
}

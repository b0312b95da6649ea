import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testServices } from '../support/services.ts';

/** A database of its own for one test file on the test PostgreSQL server; `drop()` removes it. */
export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on `serverUrl` (default: the test services' server); undefined when there is none. */
export async function freshDatabase(serverUrl?: string): Promise<FreshDatabase | undefined> {
  const base = serverUrl ?? (await testServices())?.postgresUrl;
  if (!base) return undefined;
  const name = `refinery_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

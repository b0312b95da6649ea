import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { validate } from '@langchain/langgraph-checkpoint-validation';
import pg from 'pg';
import * as vitest from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { CHECKPOINT_SCHEMA } from '../../src/store/postgres-schema.ts';
import type { RunStore } from '../../src/store/run-store.ts';
import { type FreshDatabase, freshDatabase } from './fresh-database.ts';

// LangGraph's own checkpointer conformance suite on the store's saver (the PostgresSaver with the store's
// reconnecting wrappers; threads without a Refinery run carry no mark, so their metadata is LangGraph's own).
// The suite calls vitest's globals (describe, it, beforeAll…), which this project does not turn on: lent here.
Object.assign(globalThis, {
  describe: vitest.describe,
  it: vitest.it,
  test: vitest.test,
  expect: vitest.expect,
  beforeAll: vitest.beforeAll,
  afterAll: vitest.afterAll,
  beforeEach: vitest.beforeEach,
  afterEach: vitest.afterEach,
});

let db: FreshDatabase | undefined;
let store: RunStore | undefined;

validate<PostgresSaver>({
  checkpointerName: 'refinery store (PostgresSaver)',
  beforeAllTimeout: 60_000,
  async beforeAll() {
    db = await freshDatabase();
    if (!db) throw new Error('no PostgreSQL for the tests (test/support/services.ts)');
    store = await openStore(db.url);
  },
  async afterAll() {
    await store?.close();
    await db?.drop();
  },
  async createCheckpointer() {
    const checkpointer = await store!.openCheckpointer('validation', () => {
      throw new Error('not a Refinery run');
    });
    return checkpointer.saver as PostgresSaver;
  },
  async destroyCheckpointer() {
    const client = new pg.Client({ connectionString: db!.url });
    await client.connect();
    try {
      await client.query(
        `TRUNCATE ${CHECKPOINT_SCHEMA}.checkpoints, ${CHECKPOINT_SCHEMA}.checkpoint_blobs, ${CHECKPOINT_SCHEMA}.checkpoint_writes`,
      );
    } finally {
      await client.end();
    }
  },
});

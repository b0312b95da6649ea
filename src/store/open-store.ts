import { shareResultCaches } from '../execution/cache/result-cache.ts';
import { openDirectoryStore } from './directory-run-store.ts';
import type { RunStore } from './run-store.ts';
import { StoreError } from './store-error.ts';

/**
 * The run store `--store` names: `postgres://` (or `postgresql://`) → PostgreSQL (trajectories, checkpoints and
 * the shared execution cache, which this process's engine caches then use); any other value → a directory of
 * trajectory files. `redis://` and other URLs are refused with exit 2.
 */
export async function openStore(urlOrDir: string): Promise<RunStore> {
  if (/^postgres(ql)?:\/\//i.test(urlOrDir)) {
    // Loaded on first use: pg and LangGraph's PostgreSQL saver cost a command that opens no store nothing.
    const { openPostgresStore } = await import('./postgres-run-store.ts');
    const store = await openPostgresStore(urlOrDir);
    shareResultCaches(store.resultBackend);
    const close = store.close;
    return {
      ...store,
      async close() {
        await close();
        shareResultCaches(undefined);
      },
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrDir))
    throw new StoreError(
      urlOrDir.replace(/:[^:@/]*@/, ':***@'),
      'a store is a postgres:// URL or a directory',
      'invalid-input',
    );
  return openDirectoryStore(urlOrDir);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash } from '../cache/content-hash.ts';
import { type ResultCache, resultCacheAt } from '../cache/result-cache.ts';
import { ZYGOTE_SCRIPT } from './python-worker.ts';
import { type PythonWorkerPool, sharedPythonWorkerPool } from './python-worker-pool.ts';

/** Where and how a batch call runs. Everything is optional: the defaults are the shared pool and disk cache. */
export interface BatchRunOptions {
  pool?: PythonWorkerPool;
  /** A cache, a directory for one, or false for none. Default: `$REFINERY_CACHE_DIR` or `.refinery/cache/python-batch`. */
  cache?: ResultCache | string | false;
}

export function defaultCacheDir(): string {
  return process.env.REFINERY_CACHE_DIR ?? join(process.cwd(), '.refinery', 'cache', 'python-batch');
}

export function resolveBatchPool(options: BatchRunOptions): PythonWorkerPool {
  return options.pool ?? sharedPythonWorkerPool();
}

export function resolveBatchCache<V>(options: BatchRunOptions): ResultCache<V> | undefined {
  if (options.cache === false) return undefined;
  if (options.cache === undefined || typeof options.cache === 'string')
    return resultCacheAt<V>(options.cache ?? defaultCacheDir());
  return options.cache as ResultCache<V>;
}

let harnessVersion: string | undefined;

/** Changes whenever the harness script changes, so old cache entries are never served for new semantics. */
export function batchHarnessVersion(): string {
  harnessVersion ??= contentHash(readFileSync(ZYGOTE_SCRIPT, 'utf8')).slice(0, 16);
  return harnessVersion;
}

import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResultCacheCounters {
  hits: number;
  misses: number;
  writes: number;
  /** Entries a {@link ResultCache.prefetch} found in the shared backend (executions done by another process). */
  sharedHits: number;
}

/**
 * A cache shared by processes and machines (a run store's, src/store/), behind the in-memory one: the engine keeps
 * its synchronous `get` by fetching a batch's keys before running it ({@link ResultCache.prefetch}), and entries
 * set afterwards are written through. Values travel as JSON text; keys are content hashes, so a write never
 * replaces a different value.
 */
export interface SharedResultBackend {
  readonly label: string;
  fetch(keys: readonly string[]): Promise<Map<string, string>>;
  store(entries: readonly (readonly [string, string])[]): Promise<void>;
}

let sharedBackend: SharedResultBackend | undefined;
const sharedWrites = new Set<Promise<void>>();

/** Puts `backend` behind every result cache of this process that prefetches (undefined: none). */
export function shareResultCaches(backend: SharedResultBackend | undefined): void {
  sharedBackend = backend;
}

/** Waits for the writes through to the shared backend that are under way (before closing it). */
export async function settleSharedResultWrites(): Promise<void> {
  while (sharedWrites.size > 0) await Promise.allSettled([...sharedWrites]);
}

/**
 * Execution results by content hash, on disk. Each process appends to its own segment file
 * (`<dir>/segment-<pid>-<random>.jsonl`, one `{"k": key, "v": value}` per line), so concurrent runs never
 * interleave writes; opening reads every segment into memory. A truncated last line (a killed writer) is skipped.
 */
export class ResultCache<V = unknown> {
  readonly counters: ResultCacheCounters = { hits: 0, misses: 0, writes: 0, sharedHits: 0 };
  private entries: Map<string, V> | undefined;
  private segment: string | undefined;
  private pending: string[] = [];
  /** Entries to write through to the shared backend (a cache takes part once it prefetched). */
  private sharedPending: [string, string][] | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(readonly dir: string) {}

  get(key: string): V | undefined {
    const value = this.load().get(key);
    if (value === undefined) this.counters.misses++;
    else this.counters.hits++;
    return value;
  }

  /** True when a shared backend is set: {@link prefetch} is worth its keys. */
  get isShared(): boolean {
    return sharedBackend !== undefined;
  }

  /**
   * Fetches from the shared backend the entries of `keys` this cache lacks, so the `get`s of the batch about to
   * run find executions done elsewhere; from now on this cache's new entries are written through. Without a
   * backend, or when the backend cannot be reached, nothing happens (the batch runs what it misses).
   */
  async prefetch(keys: readonly string[]): Promise<void> {
    const backend = sharedBackend;
    if (!backend) return;
    this.sharedPending ??= [];
    const entries = this.load();
    const missing = [...new Set(keys)].filter((key) => !entries.has(key));
    if (missing.length === 0) return;
    let found: Map<string, string>;
    try {
      found = await backend.fetch(missing);
    } catch {
      return;
    }
    for (const [key, text] of found) {
      if (entries.has(key)) continue;
      entries.set(key, JSON.parse(text) as V);
      this.counters.sharedHits++;
    }
  }

  set(key: string, value: V): void {
    this.load().set(key, value);
    this.sharedPending?.push([key, JSON.stringify(value)]);
    this.pending.push(`${JSON.stringify({ k: key, v: value })}\n`);
    this.counters.writes++;
    if (this.pending.length >= 256) this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), 200);
      this.flushTimer.unref();
    }
  }

  /** Writes buffered entries to this process's segment. Called automatically; call it before exiting. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.sharedPending?.length && sharedBackend) {
      const write = sharedBackend.store(this.sharedPending).catch(() => {
        // The shared cache is an optimisation: an entry it misses is executed again elsewhere.
      });
      this.sharedPending = [];
      sharedWrites.add(write);
      void write.finally(() => sharedWrites.delete(write));
    }
    if (this.pending.length === 0) return;
    this.segment ??= join(this.dir, `segment-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(this.segment, this.pending.join(''));
    this.pending = [];
  }

  get size(): number {
    return this.load().size;
  }

  private load(): Map<string, V> {
    if (this.entries) return this.entries;
    const entries = new Map<string, V>();
    let files: string[] = [];
    try {
      files = readdirSync(this.dir)
        .filter((f) => f.startsWith('segment-') && f.endsWith('.jsonl'))
        .sort();
    } catch {
      // no cache yet
    }
    for (const file of files) {
      const text = readFileSync(join(this.dir, file), 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const { k, v } = JSON.parse(line) as { k: string; v: V };
          entries.set(k, v);
        } catch {
          // a line cut short by a killed writer
        }
      }
    }
    this.entries = entries;
    return entries;
  }
}

const caches = new Map<string, ResultCache>();

/** One cache object per directory and process, so concurrent calls share hits and a single segment file. */
export function resultCacheAt<V>(dir: string): ResultCache<V> {
  let cache = caches.get(dir);
  if (!cache) {
    cache = new ResultCache(dir);
    caches.set(dir, cache);
  }
  return cache as ResultCache<V>;
}

process.once('exit', () => {
  for (const cache of caches.values()) cache.flush();
});

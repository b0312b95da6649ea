import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResultCacheCounters {
  hits: number;
  misses: number;
  writes: number;
}

/**
 * Execution results by content hash, on disk. Each process appends to its own segment file
 * (`<dir>/segment-<pid>-<random>.jsonl`, one `{"k": key, "v": value}` per line), so concurrent runs never
 * interleave writes; opening reads every segment into memory. A truncated last line (a killed writer) is skipped.
 */
export class ResultCache<V = unknown> {
  readonly counters: ResultCacheCounters = { hits: 0, misses: 0, writes: 0 };
  private entries: Map<string, V> | undefined;
  private segment: string | undefined;
  private pending: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(readonly dir: string) {}

  get(key: string): V | undefined {
    const value = this.load().get(key);
    if (value === undefined) this.counters.misses++;
    else this.counters.hits++;
    return value;
  }

  set(key: string, value: V): void {
    this.load().set(key, value);
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

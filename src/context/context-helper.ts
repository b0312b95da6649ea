import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileTags } from './file-tags.ts';
import { LexicalIndex } from './lexical-index.ts';
import { indexFiles } from './tree-terms.ts';

/** What the helper thread (context-worker.ts) is started with. */
export interface HelperSetup {
  root: string;
  /** The tree's files, in order; run `r` is `paths[r * runLength .. (r + 1) * runLength)`. */
  paths: readonly string[];
  runs: number;
  runLength: number;
  /** An Int32Array of one element: the next run to take, shared by both threads (Atomics.add). */
  claims: SharedArrayBuffer;
}
export type HelperRequest = { id: number; path: string; text: string };
export type HelperReply =
  | { type: 'run'; run: number; index: string }
  | { type: 'tags'; id: number; tags?: FileTags; error?: string };

/** Trees with fewer files are indexed and parsed on the main thread alone: a second thread costs more than it saves. */
export const HELPER_MIN_FILES = 400;
/** Runs of files per thread: enough that both threads finish together, few enough that each message is worth it. */
const RUNS_PER_THREAD = 16;

/**
 * A second thread for a cold selection on a large tree (cold: nothing cached), on a machine with two cores or
 * more: the two threads index the tree's files in runs taken from a shared counter (joined in order, the same
 * index as one thread builds), and the helper, whose parsers load while the main thread indexes, parses the files
 * the ranking asks tags for. Anything the helper fails to do (it could not start, it died) the main thread does
 * itself, so the result never depends on it.
 */
export class ContextHelper {
  private readonly worker: Worker;
  private readonly runs = new Map<number, string>();
  private readonly pending = new Map<number, { resolve: (tags: FileTags) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;
  /** Called when a run arrives or the helper fails: the main thread may be waiting for the helper's runs. */
  private wake: (() => void) | undefined;

  private constructor(
    root: string,
    private readonly paths: readonly string[],
    private readonly runLength: number,
    private readonly runCount: number,
    private readonly claims: Int32Array,
  ) {
    const source = import.meta.url.endsWith('.ts');
    const setup: HelperSetup = {
      root,
      paths,
      runs: runCount,
      runLength,
      claims: claims.buffer as SharedArrayBuffer,
    };
    this.worker = new Worker(new URL(`./context-worker${source ? '.ts' : '.js'}`, import.meta.url), {
      workerData: setup,
      // From the sources (a checkout run through tsx), the helper needs tsx too.
      ...(source ? { execArgv: [...process.execArgv, '--import', import.meta.resolve('tsx')] } : {}),
    });
    this.worker.unref();
    this.worker.on('message', (reply: HelperReply) => this.receive(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the context helper thread exited (${code})`)));
  }

  /** A helper for the tree's files, or undefined where one would not pay (a small tree, a single core). */
  static start(root: string, paths: readonly string[], force = false): ContextHelper | undefined {
    if (!force && (paths.length < HELPER_MIN_FILES || availableParallelism() < 2)) return undefined;
    const runCount = Math.max(1, Math.min(2 * RUNS_PER_THREAD, paths.length));
    const runLength = Math.ceil(paths.length / runCount);
    try {
      return new ContextHelper(
        root,
        paths,
        runLength,
        Math.ceil(paths.length / runLength),
        new Int32Array(new SharedArrayBuffer(4)),
      );
    } catch {
      return undefined;
    }
  }

  /** The index of all the files, built by both threads; `textOf` reads a file on this thread. */
  async buildIndex(textOf: (path: string) => string | undefined): Promise<LexicalIndex> {
    const parts: LexicalIndex[] = [];
    for (let run = Atomics.add(this.claims, 0, 1); run < this.runCount; run = Atomics.add(this.claims, 0, 1))
      parts[run] = indexFiles(this.slice(run), textOf);
    // The runs the helper took: wait for them (or for the helper to fail).
    const missing = () => [...Array(this.runCount).keys()].some((run) => !parts[run] && !this.runs.has(run));
    while (missing() && !this.failed) await new Promise<void>((resolve) => (this.wake = resolve));
    for (let run = 0; run < this.runCount; run++) {
      if (parts[run]) continue;
      const text = this.runs.get(run);
      parts[run] =
        (text === undefined ? undefined : LexicalIndex.fromText(text)) ?? indexFiles(this.slice(run), textOf);
    }
    this.runs.clear();
    return LexicalIndex.concat(parts);
  }

  /** Tags of one file parsed on the helper thread; rejects when the helper cannot (the caller parses itself). */
  tags(path: string, text: string): Promise<FileTags> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<FileTags>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, path, text } satisfies HelperRequest);
    });
  }

  close(): void {
    this.fail(new Error('the context helper thread was closed'));
    void this.worker.terminate();
  }

  private slice(run: number): readonly string[] {
    return this.paths.slice(run * this.runLength, (run + 1) * this.runLength);
  }

  private receive(reply: HelperReply): void {
    if (reply.type === 'run') {
      this.runs.set(reply.run, reply.index);
      this.wake?.();
    } else if (reply.type === 'tags') {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.tags) waiting?.resolve(reply.tags);
      else waiting?.reject(new Error(reply.error ?? 'no tags'));
    }
  }

  private fail(error: Error): void {
    this.failed ??= error;
    this.wake?.();
    for (const waiting of this.pending.values()) waiting.reject(this.failed);
    this.pending.clear();
  }
}

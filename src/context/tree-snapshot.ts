import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type ResultCache, resultCacheAt } from '../execution/cache/result-cache.ts';
import { contextLanguageOf } from './context-languages.ts';
import { extractFileTags, FILE_TAGS_VERSION, type FileTags } from './file-tags.ts';
import { listTreeFiles, readTreeFile, type TreeFile } from './tree-files.ts';

const run = promisify(execFile);

export interface TreeSnapshotOptions {
  /** The files to consider (paths relative to the root); default: the tracked files (or a walk outside git). */
  files?: readonly string[];
  signal?: AbortSignal;
  /**
   * Where parsed tags are cached by blob hash: a directory, or false for no disk cache. Default: inside the
   * repository's git directory (`<git-common-dir>/refinery/context-cache`), never in the working tree; no disk
   * cache outside git.
   */
  cacheDir?: string | false;
}

/**
 * One tree as the context code reads it: the file list, each file read at most once (inside the root only),
 * and tree-sitter tags parsed on demand and cached by the file's git blob hash.
 */
export class TreeSnapshot {
  readonly realRoot: string;
  private readonly read = new Map<string, TreeFile>();
  private readonly tags = new Map<string, FileTags | null>();
  counters = { parsed: 0, cached: 0 };

  private constructor(
    readonly root: string,
    readonly files: readonly string[],
    private readonly cache: ResultCache<FileTags> | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.realRoot = realpathSync(root);
  }

  static async open(root: string, options: TreeSnapshotOptions = {}): Promise<TreeSnapshot> {
    const [files, cacheDir] = await Promise.all([
      options.files ? Promise.resolve([...new Set(options.files)]) : listTreeFiles(root),
      options.cacheDir === undefined ? defaultCacheDir(root) : Promise.resolve(options.cacheDir || undefined),
    ]);
    const cache = cacheDir === undefined ? undefined : resultCacheAt<FileTags>(cacheDir);
    return new TreeSnapshot(root, files, cache, options.signal);
  }

  file(path: string): TreeFile {
    let file = this.read.get(path);
    if (file === undefined) {
      file = readTreeFile(this.root, path, this.realRoot);
      this.read.set(path, file);
    }
    return file;
  }

  text(path: string): string | undefined {
    const file = this.file(path);
    return file.kind === 'text' ? file.text : undefined;
  }

  /** Tags of a file in a language the map parses; undefined for other, binary or unreadable files. */
  async tagsOf(path: string): Promise<FileTags | undefined> {
    const known = this.tags.get(path);
    if (known !== undefined) return known ?? undefined;
    const language = contextLanguageOf(path);
    const file = language ? this.file(path) : undefined;
    if (!language || file?.kind !== 'text') {
      this.tags.set(path, null);
      return undefined;
    }
    this.signal?.throwIfAborted();
    const key = `${FILE_TAGS_VERSION}:${language.fence}:${file.blobHash}`;
    let tags = this.cache?.get(key);
    if (tags === undefined) {
      tags = await extractFileTags(language, file.text);
      this.cache?.set(key, tags);
      this.counters.parsed++;
    } else this.counters.cached++;
    this.tags.set(path, tags);
    return tags;
  }

  /** Tags of many files (in order); files without tags are left out. */
  async tagsOfMany(paths: readonly string[]): Promise<Map<string, FileTags>> {
    const out = new Map<string, FileTags>();
    for (const path of paths) {
      const tags = await this.tagsOf(path);
      if (tags) out.set(path, tags);
    }
    return out;
  }

  /** Writes new cache entries now (they are also written at exit). */
  flush(): void {
    this.cache?.flush();
  }
}

async function defaultCacheDir(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--git-common-dir'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    const dir = stdout.trim();
    return join(isAbsolute(dir) ? dir : resolve(root, dir), 'refinery', 'context-cache');
  } catch {
    return undefined;
  }
}

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type ResultCache, resultCacheAt } from '../execution/cache/result-cache.ts';
import { ContextHelper } from './context-helper.ts';
import { contextLanguageOf } from './context-languages.ts';
import { extractFileTags, FILE_TAGS_VERSION, type FileTags } from './file-tags.ts';
import { LexicalIndex } from './lexical-index.ts';
import { isInside, listTreeFiles, readTreeFile, type TreeFile } from './tree-files.ts';

const run = promisify(execFile);
const GIT_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
/** Bump when the lexical index's terms change, so an index of an older tokenizer is not served. */
const LEXICAL_VERSION = 'lexical-2';
/** Lexical indexes kept per cache (one per tree state; the oldest go). */
const LEXICAL_KEEP = 8;

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
  /**
   * A second thread for the cold work (context-helper.ts): by default on trees of HELPER_MIN_FILES files or more
   * and two cores or more; true forces it (tests), false never.
   */
  helper?: boolean;
}

/**
 * One tree as the context code reads it: the file list, each file read at most once (inside the root only),
 * and tree-sitter tags parsed on demand and cached by the file's git blob hash.
 */
export class TreeSnapshot {
  readonly realRoot: string;
  private readonly read = new Map<string, TreeFile>();
  private readonly folders = new Map<string, boolean>();
  private readonly tags = new Map<string, FileTags | null>();
  counters = { parsed: 0, cached: 0 };
  /** Threads that did the cold work: 2 once the helper thread was started. */
  threads = 1;

  private constructor(
    readonly root: string,
    readonly files: readonly string[],
    private readonly cacheDir: string | undefined,
    private readonly indexBlobs: ReadonlyMap<string, string>,
    private readonly signal: AbortSignal | undefined,
    private readonly helperOption: boolean | undefined,
  ) {
    this.realRoot = realpathSync(root);
    this.cache = cacheDir === undefined ? undefined : resultCacheAt<FileTags>(cacheDir);
  }

  private readonly cache: ResultCache<FileTags> | undefined;

  static async open(root: string, options: TreeSnapshotOptions = {}): Promise<TreeSnapshot> {
    const [files, cacheDir, indexBlobs] = await Promise.all([
      options.files ? Promise.resolve([...new Set(options.files)]) : listTreeFiles(root),
      options.cacheDir === undefined ? defaultCacheDir(root) : Promise.resolve(options.cacheDir || undefined),
      unchangedIndexBlobs(root),
    ]);
    return new TreeSnapshot(root, files, cacheDir, indexBlobs, options.signal, options.helper);
  }

  /**
   * The file's git blob id without reading it when git's index has it and the working tree does not differ
   * (git's own stat check); otherwise read and hashed. Not a blob id for files that are not text.
   */
  blobOf(path: string): string {
    const known = this.indexBlobs.get(path);
    if (known !== undefined) return known;
    const file = this.file(path);
    return file.kind === 'text' ? file.blobHash : `${file.kind}:${file.bytes}`;
  }

  /** The tree's state: a hash of every path and its blob id (see blobOf), computed once. */
  fingerprint(): string {
    if (this.treeHash === undefined) {
      const hash = createHash('sha1');
      for (const path of this.files) hash.update(`${path}\0${this.blobOf(path)}\0`);
      this.treeHash = hash.digest('hex');
    }
    return this.treeHash;
  }
  private treeHash: string | undefined;

  /**
   * A JSON value computed from this tree state and `inputs` (which must name everything else it depends on,
   * versions included), cached on disk under the tree's fingerprint: the newest `keep` per `kind` are kept.
   * `reused` says it was read back. Without a cache directory it is computed each time.
   */
  async treeMemo<T>(
    kind: string,
    inputs: string,
    compute: () => Promise<T>,
    keep = 32,
  ): Promise<{ value: T; reused: boolean }> {
    if (this.cacheDir === undefined) return { value: await compute(), reused: false };
    const dir = join(this.cacheDir, kind);
    const key = createHash('sha1').update(`${this.fingerprint()}\0${inputs}`).digest('hex');
    const file = join(dir, `${key}.json`);
    try {
      return { value: JSON.parse(readFileSync(file, 'utf8')) as T, reused: true };
    } catch {
      // not cached yet
    }
    const value = await compute();
    writeAtomically(dir, file, JSON.stringify(value), keep);
    return { value, reused: false };
  }

  /**
   * The lexical index of the tree, built by `build` once per tree state: cached on disk under the tree's
   * fingerprint, so a second run on the same tree reads neither the files nor their terms.
   */
  async lexicalIndex(build: (textOf: (path: string) => string | undefined) => LexicalIndex): Promise<LexicalIndex> {
    if (this.cacheDir === undefined) return this.buildIndex(build);
    const dir = join(this.cacheDir, 'lexical');
    const file = join(dir, `${LEXICAL_VERSION}-${this.fingerprint()}.txt`);
    try {
      const cached = LexicalIndex.fromText(readFileSync(file, 'utf8'));
      if (cached) return cached;
    } catch {
      // not cached yet: build it
    }
    const index = await this.buildIndex(build);
    writeAtomically(dir, file, index.serialize(), LEXICAL_KEEP);
    return index;
  }

  /** Builds the index, with the helper thread on a large tree (which then parses too: see tagsOf). */
  private buildIndex(build: (textOf: (path: string) => string | undefined) => LexicalIndex): Promise<LexicalIndex> {
    const textOf = (path: string) => this.text(path);
    if (this.helperOption !== false && this.helper === undefined) {
      this.helper = ContextHelper.start(this.root, this.files, this.helperOption === true);
      if (this.helper) this.threads = 2;
    }
    return this.helper ? this.helper.buildIndex(textOf) : Promise.resolve(build(textOf));
  }
  private helper: ContextHelper | undefined;

  /** Stops the helper thread, if one was started (it never keeps the process alive either way). */
  close(): void {
    this.helper?.close();
    this.helper = undefined;
  }

  file(path: string): TreeFile {
    let file = this.read.get(path);
    if (file === undefined) {
      file = readTreeFile(this.root, path, this.realRoot, (folder) => {
        let inside = this.folders.get(folder);
        if (inside === undefined) {
          inside = isInside(this.realRoot, folder);
          this.folders.set(folder, inside);
        }
        return inside;
      });
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
    if (!language) {
      this.tags.set(path, null);
      return undefined;
    }
    this.signal?.throwIfAborted();
    // A blob git's index knows, with cached tags, is not read at all: tags are only ever cached for text.
    const indexed = this.indexBlobs.get(path);
    let tags = indexed === undefined ? undefined : this.cache?.get(this.tagsKey(language.fence, indexed));
    if (tags !== undefined) {
      this.counters.cached++;
      this.tags.set(path, tags);
      return tags;
    }
    const file = this.file(path);
    if (file.kind !== 'text') {
      this.tags.set(path, null);
      return undefined;
    }
    const key = this.tagsKey(language.fence, this.blobOf(path));
    tags = indexed === undefined ? this.cache?.get(key) : undefined;
    if (tags === undefined) {
      tags = this.helper
        ? await this.helper.tags(path, file.text).catch(() => extractFileTags(language, file.text))
        : await extractFileTags(language, file.text);
      this.cache?.set(key, tags);
      this.counters.parsed++;
    } else this.counters.cached++;
    this.tags.set(path, tags);
    return tags;
  }

  private tagsKey(fence: string, blob: string): string {
    return `${FILE_TAGS_VERSION}:${fence}:${blob}`;
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

/** Blob ids from git's index for the paths (relative to `root`) whose working-tree file does not differ. */
async function unchangedIndexBlobs(root: string): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  try {
    const options = { cwd: root, env: GIT_ENV, maxBuffer: 256 * 1024 * 1024 };
    const [staged, changed] = await Promise.all([
      run('git', ['-c', 'core.quotepath=off', 'ls-files', '-s', '-z'], options),
      run('git', ['-c', 'core.quotepath=off', 'diff', '--name-only', '--relative', '-z'], options),
    ]);
    const differ = new Set(changed.stdout.split('\0'));
    for (const entry of staged.stdout.split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [mode, blob, stage] = entry.slice(0, tab).split(' ');
      const path = entry.slice(tab + 1);
      if ((mode === '100644' || mode === '100755') && stage === '0' && blob && !differ.has(path)) blobs.set(path, blob);
    }
  } catch {
    // not a git work tree: every file is read and hashed
  }
  return blobs;
}

/** Writes a cache file whole (temporary file, then rename) and keeps the newest `keep` of its folder. */
function writeAtomically(dir: string, file: string, text: string, keep: number): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    pruneOldest(dir, keep);
  } catch {
    // a cache that cannot be written only costs time
  }
}

function pruneOldest(dir: string, keep: number): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt') || f.endsWith('.json'))
    .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { f } of files.slice(keep)) rmSync(join(dir, f), { force: true });
}

async function defaultCacheDir(root: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--git-common-dir'], { cwd: root, env: GIT_ENV });
    const dir = stdout.trim();
    return join(isAbsolute(dir) ? dir : resolve(root, dir), 'refinery', 'context-cache');
  } catch {
    return undefined;
  }
}

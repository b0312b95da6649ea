import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { contentHash } from '../cache/content-hash.ts';
import { type ResultCache, resultCacheAt } from '../cache/result-cache.ts';
import type { ExecutionLimits, SandboxSetting } from '../execution-types.ts';
import { allocateRunIdentity, type RunIdentity } from '../process/run-identity.ts';
import { type ProcessOutcome, runProcess } from '../process/run-process.ts';
import { createWorkingDirectory } from '../process/working-directory.ts';
import { resolveToolchain, type Toolchain } from '../toolchain.ts';
import { writeProgramFiles } from '../write-program-files.ts';

const run = promisify(execFile);

/** Build and run seconds, cache hits and misses: what the bench prints. */
export interface WorkbenchCounters {
  buildSeconds: number;
  builds: number;
  runSeconds: number;
  runs: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface WorkbenchOptions {
  sandbox: SandboxSetting;
  /** Result cache directory (builds' verdicts, runs' outputs and built binaries); false: no cache. */
  cacheDir: string | false;
  /** Processes (builds or runs) at once; default 2 (the cores builds compete for). */
  slots?: number;
}

/** One step run in a fresh working directory: the files to write, the command, its limits and environment. */
export interface WorkbenchStep {
  files: Record<string, string>;
  /** Binaries copied into the working directory first (name → absolute path). */
  binaries?: Record<string, string>;
  argv: (toolchain: Toolchain) => string[];
  language: 'c' | 'rust';
  limits: ExecutionLimits;
  env?: (workdir: string, toolchain: Toolchain) => Record<string, string>;
  stdin?: string;
  /** Run after the process ends, before the working directory goes (keep a built binary). */
  collect?: (workdir: string, outcome: ProcessOutcome) => Promise<void>;
}

/**
 * What the C-to-Rust pipeline runs processes through: a slot scheduler (two at a time by default: independent
 * builds use both cores, and no more), a content-hash result cache on disk, a store of built binaries by hash,
 * and counters. Every process goes through the shared process layer (sandbox, limits, scrubbed environment).
 */
export class C2RustWorkbench {
  readonly counters: WorkbenchCounters = {
    buildSeconds: 0,
    builds: 0,
    runSeconds: 0,
    runs: 0,
    cacheHits: 0,
    cacheMisses: 0,
  };
  private readonly cache: ResultCache<unknown> | undefined;
  private readonly slots: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly options: WorkbenchOptions) {
    this.cache = options.cacheDir === false ? undefined : resultCacheAt(options.cacheDir);
    this.slots = options.slots ?? 2;
  }

  /** The cached value for a key, or runs `compute` (and caches it when `keep` says so). */
  async cached<T>(key: string, compute: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const hit = this.cache?.get(key) as T | undefined;
    if (hit !== undefined) {
      this.counters.cacheHits++;
      return hit;
    }
    this.counters.cacheMisses++;
    const value = await compute();
    if (this.cache && keep(value)) this.cache.set(key, value);
    return value;
  }

  /** Where built binaries are kept by content hash (undefined without a cache: binaries live for the process). */
  binaryPath(hash: string): string {
    const dir = this.options.cacheDir === false ? join(processBinaries(), 'bin') : join(this.options.cacheDir, 'bin');
    return join(dir, hash);
  }

  async keepBinary(from: string, hash: string): Promise<string> {
    const target = this.binaryPath(hash);
    await mkdir(join(target, '..'), { recursive: true });
    // Copy then rename: another process using the same store never sees a half-written binary.
    const partial = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    await copyFile(from, partial);
    await rename(partial, target);
    return target;
  }

  /** Runs one step in a slot; `kind` says which counter its seconds go to. */
  async step(kind: 'build' | 'run', step: WorkbenchStep, signal?: AbortSignal): Promise<ProcessOutcome> {
    await this.acquire();
    const started = performance.now();
    try {
      const toolchain = await resolveToolchain(step.language);
      const identity: RunIdentity | undefined = allocateRunIdentity();
      const workdir = await createWorkingDirectory(identity);
      try {
        await writeProgramFiles(workdir.path, step.files, identity);
        for (const [name, path] of Object.entries(step.binaries ?? {})) {
          const target = join(workdir.path, name);
          await copyFile(path, target);
          await chmod(target, 0o755);
          if (identity) await chown(target, identity.uid, identity.gid);
        }
        const outcome = await runProcess({
          argv: step.argv(toolchain),
          workdir: workdir.path,
          sandbox: this.options.sandbox,
          limits: step.limits,
          identity,
          env: { ...toolchain.env, ...(step.env?.(workdir.path, toolchain) ?? {}) },
          pathPrefix: toolchain.pathPrefix,
          readOnlyBinds: toolchain.readOnlyBinds,
          ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
          ...(signal ? { signal } : {}),
        });
        await step.collect?.(workdir.path, outcome);
        return outcome;
      } finally {
        await workdir.dispose();
      }
    } finally {
      const seconds = (performance.now() - started) / 1000;
      if (kind === 'build') {
        this.counters.buildSeconds += seconds;
        this.counters.builds++;
      } else {
        this.counters.runSeconds += seconds;
        this.counters.runs++;
      }
      this.release();
    }
  }

  /** Flushes the cache's pending entries to disk. */
  flush(): void {
    this.cache?.flush();
  }

  private async acquire(): Promise<void> {
    if (this.active < this.slots) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

let binariesDir: string | undefined;
/** Without a cache, built binaries live in a temporary directory removed when the process exits. */
function processBinaries(): string {
  if (binariesDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'refinery-c2rust-'));
    binariesDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return binariesDir;
}

const versions = new Map<string, Promise<string>>();
/** `gcc --version` / `rustc -vV`, once per process: part of every cache key, so a new compiler misses the cache. */
export function toolVersion(language: 'c' | 'rust'): Promise<string> {
  let version = versions.get(language);
  if (!version) {
    version = resolveToolchain(language).then(async (toolchain) => {
      const [tool, flag] =
        language === 'c' ? [toolchain.tools.gcc ?? 'gcc', '--version'] : [toolchain.tools.rustc ?? 'rustc', '-vV'];
      const { stdout } = await run(tool, [flag], { env: { ...process.env, ...toolchain.env } });
      return stdout.trim();
    });
    versions.set(language, version);
  }
  return version;
}

/** A cache key over the parts. */
export function stepKey(kind: string, ...parts: string[]): string {
  return contentHash('c2rust-v1', kind, ...parts);
}

const shared = new Map<string, C2RustWorkbench>();
/** One workbench per (sandbox, cache directory) and process: concurrent runs share its slots, cache and counters. */
export function sharedWorkbench(options: WorkbenchOptions): C2RustWorkbench {
  const key = JSON.stringify([options.sandbox, options.cacheDir, options.slots ?? 2]);
  let bench = shared.get(key);
  if (!bench) {
    bench = new C2RustWorkbench(options);
    shared.set(key, bench);
  }
  return bench;
}

/** The cache directory a config asks for: `execution.cacheDir` (relative to `baseDir`), `$REFINERY_CACHE_DIR/c2rust`, or `.refinery/cache/c2rust`; false when `execution.cache` is off. */
export function workbenchCacheDir(
  execution: { cache: boolean; cacheDir?: string | undefined },
  baseDir: string,
): string | false {
  if (!execution.cache) return false;
  if (execution.cacheDir !== undefined)
    return isAbsolute(execution.cacheDir) ? execution.cacheDir : resolve(baseDir, execution.cacheDir);
  return process.env.REFINERY_CACHE_DIR
    ? join(process.env.REFINERY_CACHE_DIR, 'c2rust')
    : join(process.cwd(), '.refinery', 'cache', 'c2rust');
}

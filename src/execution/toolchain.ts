import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Language } from './execution-types.ts';
import { ToolchainMissingError } from './toolchain-missing-error.ts';

const run = promisify(execFile);

/** Where a language's tools really live. Resolved once per process, with absolute paths that work inside bwrap. */
export interface Toolchain {
  /** Absolute paths by tool name: python3, node, gcc, rustc, cargo. */
  tools: Record<string, string>;
  /** Directories to prepend to PATH inside the sandbox. */
  pathPrefix: string[];
  /** Install roots that bwrap hides (under /root, /home or /tmp) and must be re-bound read-only. */
  readOnlyBinds: string[];
  /** Extra environment the tools need. */
  env: Record<string, string>;
}

const HIDDEN_ROOTS = ['/root/', '/home/', '/tmp/'];
const cache = new Map<Language, Promise<Toolchain>>();

function hiddenInSandbox(path: string): boolean {
  return HIDDEN_ROOTS.some((root) => path.startsWith(root));
}

function toolchain(tools: Record<string, string>, installRoot: string, env: Record<string, string> = {}): Toolchain {
  const binDirs = [...new Set(Object.values(tools).map((t) => dirname(t)))];
  return {
    tools,
    pathPrefix: binDirs.filter((d) => !['/usr/bin', '/bin', '/usr/local/bin'].includes(d)),
    readOnlyBinds: hiddenInSandbox(installRoot) ? [installRoot] : [],
    env,
  };
}

async function resolve(language: Language): Promise<Toolchain> {
  switch (language) {
    case 'python': {
      // pyenv shims are shell scripts that need ~/.pyenv state; ask the interpreter where it really is.
      const { stdout } = await run('python3', [
        '-c',
        'import os,sys;print(os.path.realpath(sys.executable));print(sys.base_prefix)',
      ]);
      const [exe, prefix] = stdout.trim().split('\n');
      if (!exe || !prefix)
        throw new ToolchainMissingError('python', 'python3', 'python3 did not report sys.executable');
      return toolchain({ python3: exe }, realpathSync(prefix));
    }
    case 'javascript': {
      const exe = realpathSync(process.execPath);
      return toolchain({ node: exe }, dirname(dirname(exe)));
    }
    case 'c': {
      const { stdout } = await run('sh', ['-c', 'command -v gcc']);
      const exe = stdout.trim();
      return toolchain({ gcc: exe }, dirname(dirname(realpathSync(exe))));
    }
    case 'rust': {
      // The rustup proxies in ~/.cargo/bin need RUSTUP_HOME; the toolchain's own binaries need nothing.
      const { stdout } = await run('rustc', ['--print', 'sysroot']);
      const sysroot = realpathSync(stdout.trim());
      const rustc = join(sysroot, 'bin', 'rustc');
      const cargo = join(sysroot, 'bin', 'cargo');
      return toolchain({ rustc, cargo }, sysroot, { RUSTC: rustc });
    }
  }
}

export function resolveToolchain(language: Language): Promise<Toolchain> {
  let pending = cache.get(language);
  if (!pending) {
    pending = resolve(language).catch((error: unknown) => {
      cache.delete(language);
      if (error instanceof ToolchainMissingError) throw error;
      const tool = { python: 'python3', javascript: 'node', c: 'gcc', rust: 'rustc' }[language];
      throw new ToolchainMissingError(language, tool, error instanceof Error ? error.message : String(error));
    });
    cache.set(language, pending);
  }
  return pending;
}

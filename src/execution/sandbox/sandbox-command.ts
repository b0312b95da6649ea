import { execFileSync } from 'node:child_process';
import type { SandboxMode } from '../execution-types.ts';

export interface SandboxCommandOptions {
  /** The only writable directory; becomes the process's cwd. */
  workdir: string;
  /** 'auto' uses bubblewrap when it works here, else rlimits only. */
  sandbox: 'auto' | 'bwrap' | 'none';
  /** Extra read-only paths that must be visible (they already are: the whole system is bound read-only). */
  extraWritable?: string[];
  /** Allow network access (off by default). */
  network?: boolean;
}

export interface SandboxCommand {
  file: string;
  args: string[];
  mode: SandboxMode;
}

let bwrapWorks: boolean | undefined;

/** True when `bwrap` exists and can create the namespaces we need on this machine. */
export function bubblewrapAvailable(): boolean {
  if (bwrapWorks !== undefined) return bwrapWorks;
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', 'true'], {
      stdio: 'ignore',
      timeout: 5000,
    });
    bwrapWorks = true;
  } catch {
    bwrapWorks = false;
  }
  return bwrapWorks;
}

/** For tests: forget the cached probe. */
export function resetBubblewrapProbe(): void {
  bwrapWorks = undefined;
}

export function resolveSandboxMode(sandbox: SandboxCommandOptions['sandbox']): SandboxMode {
  if (sandbox === 'none') return 'rlimit-only';
  if (sandbox === 'bwrap') {
    if (!bubblewrapAvailable()) throw new Error("execution.sandbox is 'bwrap' but bubblewrap is not usable on this machine");
    return 'bwrap';
  }
  return bubblewrapAvailable() ? 'bwrap' : 'rlimit-only';
}

/**
 * Wraps argv so it runs with a read-only system, a private /tmp, no network, its own PID namespace,
 * and only `workdir` writable. In rlimit-only mode argv is returned unchanged.
 */
export function sandboxCommand(argv: string[], options: SandboxCommandOptions): SandboxCommand {
  const mode = resolveSandboxMode(options.sandbox);
  const [file, ...rest] = argv;
  if (file === undefined) throw new Error('sandboxCommand: empty argv');
  if (mode === 'rlimit-only') return { file, args: rest, mode };
  const args = [
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
    '--tmpfs', '/root',
    '--tmpfs', '/home',
    '--bind', options.workdir, options.workdir,
    ...(options.extraWritable ?? []).flatMap((p) => ['--bind', p, p]),
    '--chdir', options.workdir,
    '--unshare-all',
    ...(options.network ? ['--share-net'] : []),
    '--die-with-parent',
    '--new-session',
    '--', file, ...rest,
  ];
  return { file: 'bwrap', args, mode };
}

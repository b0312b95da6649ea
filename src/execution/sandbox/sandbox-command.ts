import { execFileSync } from 'node:child_process';
import type { SandboxMode, SandboxSetting } from '../execution-types.ts';

/** Where and how bubblewrap confines a command (everything but the choice of mode). */
export interface BubblewrapOptions {
  /** The only writable directory; becomes the process's cwd. */
  workdir: string;
  /** Extra directories bound writable (the system around them stays read-only). */
  extraWritable?: string[];
  /** Allow network access (off by default). */
  network?: boolean;
  /**
   * Paths bound read-only on top of the sandbox's private /tmp, /root and /home (e.g. a pyenv Python or a
   * rustup toolchain living under /root), so they stay visible inside.
   */
  readOnlyBinds?: string[];
  /**
   * Run the command as this unprivileged uid/gid (via `setpriv` inside the sandbox). Needs a root caller; the
   * sandbox then skips the user namespace so the uid is a real host uid, which makes RLIMIT_NPROC effective.
   */
  dropPrivileges?: { uid: number; gid: number };
}

export interface SandboxCommandOptions extends BubblewrapOptions {
  /** 'auto' uses bubblewrap when it works here, else rlimits only. */
  sandbox: SandboxSetting;
}

/** Answers whether bubblewrap can be used here; `bubblewrapAvailable` probes the machine, tests inject their own. */
export type BubblewrapProbe = () => boolean;

export interface SandboxCommand {
  file: string;
  args: string[];
  mode: SandboxMode;
}

const PRIVATE_MOUNTS = ['/tmp', '/root', '/home'];

/**
 * bwrap creates the missing parents of a bind target inside a private tmpfs with mode 0700, which an
 * unprivileged uid cannot traverse; create them first as 0755.
 */
function traversableParents(targets: string[]): string[] {
  const dirs = new Set<string>();
  for (const target of targets) {
    const mount = PRIVATE_MOUNTS.find((m) => target.startsWith(`${m}/`));
    if (!mount) continue;
    const parts = target
      .slice(mount.length + 1)
      .split('/')
      .filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`${mount}/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs].sort((a, b) => a.length - b.length).flatMap((d) => ['--perms', '0755', '--dir', d]);
}

let bwrapWorks: boolean | undefined;

/** True when `bwrap` exists and can create the namespaces we need on this machine. */
export function bubblewrapAvailable(): boolean {
  if (bwrapWorks !== undefined) return bwrapWorks;
  try {
    execFileSync(
      'bwrap',
      ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', 'true'],
      {
        stdio: 'ignore',
        timeout: 5000,
      },
    );
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

/** The mode a setting gives on this machine ('bwrap' throws when the probe says bubblewrap is not usable). */
export function resolveSandboxMode(sandbox: SandboxSetting, probe: BubblewrapProbe = bubblewrapAvailable): SandboxMode {
  if (sandbox === 'none') return 'rlimit-only';
  if (sandbox === 'bwrap') {
    if (!probe()) throw new Error("execution.sandbox is 'bwrap' but bubblewrap is not usable on this machine");
    return 'bwrap';
  }
  return probe() ? 'bwrap' : 'rlimit-only';
}

/**
 * Wraps argv so it runs with a read-only system, a private /tmp, no network, its own PID namespace,
 * and only `workdir` writable. In rlimit-only mode argv is returned unchanged.
 */
export function sandboxCommand(
  argv: string[],
  options: SandboxCommandOptions,
  probe: BubblewrapProbe = bubblewrapAvailable,
): SandboxCommand {
  const mode = resolveSandboxMode(options.sandbox, probe);
  if (mode === 'bwrap') return bubblewrapCommand(argv, options);
  const [file, ...rest] = argv;
  if (file === undefined) throw new Error('sandboxCommand: empty argv');
  return { file, args: rest, mode };
}

/** The bwrap command line for argv (pure: it neither looks for bwrap nor runs anything). */
export function bubblewrapCommand(argv: string[], options: BubblewrapOptions): SandboxCommand {
  const [file, ...rest] = argv;
  if (file === undefined) throw new Error('bubblewrapCommand: empty argv');
  const drop = options.dropPrivileges;
  // A user namespace maps only the caller's uid, so switching to another uid inside it fails: when dropping
  // privileges, unshare everything except the user namespace (the caller is root, so it may).
  const unshare = drop
    ? [
        '--unshare-ipc',
        '--unshare-pid',
        '--unshare-uts',
        '--unshare-cgroup-try',
        ...(options.network ? [] : ['--unshare-net']),
      ]
    : ['--unshare-all', ...(options.network ? ['--share-net'] : [])];
  const inner = drop
    ? ['setpriv', `--reuid=${drop.uid}`, `--regid=${drop.gid}`, '--clear-groups', '--', file, ...rest]
    : [file, ...rest];
  const args = [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/root',
    '--tmpfs',
    '/home',
    ...traversableParents([...(options.readOnlyBinds ?? []), options.workdir, ...(options.extraWritable ?? [])]),
    ...(options.readOnlyBinds ?? []).flatMap((p) => ['--ro-bind', p, p]),
    '--bind',
    options.workdir,
    options.workdir,
    ...(options.extraWritable ?? []).flatMap((p) => ['--bind', p, p]),
    '--chdir',
    options.workdir,
    ...unshare,
    '--die-with-parent',
    '--new-session',
    '--',
    ...inner,
  ];
  return { file: 'bwrap', args, mode: 'bwrap' };
}

import { existsSync } from 'node:fs';
import type { ExecutionLimits } from '../execution-types.ts';

const MIB = 1024 * 1024;
let prlimitPath: string | null | undefined;

function findPrlimit(): string | null {
  if (prlimitPath === undefined) {
    prlimitPath = ['/usr/bin/prlimit', '/bin/prlimit', '/usr/local/bin/prlimit'].find((p) => existsSync(p)) ?? null;
  }
  return prlimitPath;
}

/**
 * Prefixes argv so the program starts under the rlimits (Node cannot setrlimit a child itself). Uses util-linux
 * `prlimit` (it sets the limits on itself, then execs); where it is missing (macOS) a `sh -c 'ulimit ...; exec "$@"'`
 * wrapper does the same. CPU: soft limit (SIGXCPU) at the limit rounded up to whole seconds, hard limit
 * (SIGKILL) one second later. RLIMIT_NPROC only binds a non-root real uid; see run-identity.ts.
 */
export function rlimitCommand(limits: ExecutionLimits, argv: string[]): string[] {
  const cpuSoft = Math.max(1, Math.ceil(limits.cpuMs / 1000));
  const asBytes = limits.memoryMb * MIB;
  const fsizeBytes = limits.fileSizeMb * MIB;
  const prlimit = findPrlimit();
  if (prlimit) {
    return [
      prlimit,
      `--as=${asBytes}`,
      `--nproc=${limits.processes}`,
      `--fsize=${fsizeBytes}`,
      `--cpu=${cpuSoft}:${cpuSoft + 1}`,
      '--core=0',
      '--',
      ...argv,
    ];
  }
  const script = [
    `ulimit -v ${limits.memoryMb * 1024}`,
    `ulimit -u ${limits.processes}`,
    `ulimit -f ${Math.ceil(fsizeBytes / 512)}`,
    `ulimit -t ${cpuSoft}`,
    'ulimit -c 0',
    'exec "$@"',
  ].join('; ');
  return ['/bin/sh', '-c', script, 'rlimit', ...argv];
}

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { RunIdentity } from './run-identity.ts';

/** SIGKILL a process group; a group that is already gone is fine. */
export function killProcessGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/**
 * Live pids whose /proc entry belongs to `uid` (the entry's owner is the process's effective uid). Zombies are
 * skipped: they run nothing, and reaping them is up to whoever inherited them.
 */
export function pidsOwnedBy(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (statSync(`/proc/${entry}`).uid === uid && !isZombie(Number(entry))) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Kills everything running as the run's uid and waits (up to `maxWaitMs`) until none of it is alive. */
export async function killAllAndWait(identity: RunIdentity, maxWaitMs = 2000): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  while (pidsOwnedBy(identity.uid).length > 0) {
    if (Date.now() > deadline) return false;
    await killEverythingOf(identity);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * Kills every process running under the run's uid, including ones that left the process group (setsid, double
 * fork). `kill(-1)` sent *as that uid* reaches exactly the processes whose real uid is the run's uid, and the
 * kernel does it in one pass that forks cannot race. Works whether the run's effective uid was dropped too or not.
 */
export function killEverythingOf(identity: RunIdentity): Promise<void> {
  return new Promise((resolve) => {
    const killer = spawn(
      'setpriv',
      [`--reuid=${identity.uid}`, `--regid=${identity.gid}`, '--clear-groups', '--', 'kill', '-KILL', '-1'],
      { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } },
    );
    killer.on('error', () => resolve());
    killer.on('close', () => resolve());
  });
}

/**
 * The host uid a run executes under. When Refinery runs as root, each run gets its own unused uid: RLIMIT_NPROC
 * then counts only that run's processes (root is exempt from RLIMIT_NPROC, so a fork bomb running as root is
 * unbounded), the program cannot signal or write anything owned by other runs, and every process the run left
 * behind can be found and killed by uid.
 */
export interface RunIdentity {
  uid: number;
  gid: number;
}

const UID_BASE = 1_500_000_000;
const UID_SPAN = 100_000_000;
let counter = Math.floor(Math.random() * UID_SPAN);

export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A fresh uid for one run, or undefined when we are not root and cannot switch uids. */
export function allocateRunIdentity(): RunIdentity | undefined {
  if (!runningAsRoot()) return undefined;
  counter = (counter + 1) % UID_SPAN;
  const id = UID_BASE + counter;
  return { uid: id, gid: id };
}

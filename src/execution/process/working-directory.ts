import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunIdentity } from './run-identity.ts';

export interface WorkingDirectory {
  /** The run's only writable directory (its cwd, HOME and TMPDIR). */
  path: string;
  /** A private parent directory, so `..` of the working directory is never a shared directory like /tmp. */
  root: string;
  dispose(): Promise<void>;
}

/**
 * Creates `<tmp>/refinery-exec-XXXXXX/work`. With an identity the working directory belongs to that uid and the
 * parent stays root's (mode 0711: traversable, not listable or writable by the run).
 */
export async function createWorkingDirectory(owner?: RunIdentity): Promise<WorkingDirectory> {
  const root = await mkdtemp(join(tmpdir(), 'refinery-exec-'));
  await chmod(root, 0o711);
  const path = join(root, 'work');
  await mkdir(path, { mode: 0o700 });
  if (owner) await chown(path, owner.uid, owner.gid);
  return {
    path,
    root,
    dispose: () => rm(root, { recursive: true, force: true, maxRetries: 3 }),
  };
}

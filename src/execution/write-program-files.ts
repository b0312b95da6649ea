import { chown, mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { InvalidExecutionRequestError } from './invalid-execution-request-error.ts';
import type { RunIdentity } from './process/run-identity.ts';

/** Writes files (relative path -> contents) into the working directory, owned by the run's uid when given. */
export async function writeProgramFiles(
  workdir: string,
  files: Record<string, string>,
  owner?: RunIdentity,
): Promise<void> {
  for (const [name, contents] of Object.entries(files)) {
    const rel = normalize(name);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel === '.') {
      throw new InvalidExecutionRequestError(
        `files['${name}']`,
        'paths must be relative and stay inside the working directory',
      );
    }
    const target = join(workdir, rel);
    const parts = rel.split(sep).slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = join(workdir, ...parts.slice(0, i));
      await mkdir(dir, { recursive: true });
      if (owner) await chown(dir, owner.uid, owner.gid);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents);
    if (owner) await chown(target, owner.uid, owner.gid);
  }
}

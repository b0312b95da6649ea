import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ServiceMissingError } from './service-missing-error.ts';

/** `name` on the PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, name);
    if (executable(path)) return path;
  }
  return undefined;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** redis-server (Debian package `redis-server`). */
export function redisServerBinary(): string {
  const found = onPath('redis-server');
  if (!found) throw new ServiceMissingError('redis', 'redis-server', 'redis-server', 'on the PATH');
  return found;
}

/** PostgreSQL's server programs, in one directory. */
export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

/** Debian keeps PostgreSQL's server programs in /usr/lib/postgresql/<major>/bin, off the PATH: look there too (highest major first). */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

export function postgresBinaries(): PostgresBinaries {
  const dirs: string[] = [];
  const initdbOnPath = onPath('initdb');
  if (initdbOnPath) dirs.push(initdbOnPath.slice(0, -'/initdb'.length));
  try {
    const majors = readdirSync(DEBIAN_POSTGRES_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) dirs.push(join(DEBIAN_POSTGRES_ROOT, major, 'bin'));
  } catch {
    // no Debian PostgreSQL
  }
  for (const dir of dirs) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    if (executable(initdb) && executable(pgCtl) && executable(join(dir, 'postgres'))) return { initdb, pgCtl };
  }
  throw new ServiceMissingError(
    'postgres',
    'initdb/pg_ctl/postgres',
    'postgresql',
    `on the PATH and in ${DEBIAN_POSTGRES_ROOT}/*/bin`,
  );
}

/** Whether both services can be started here (no throw). */
export function serviceBinariesMissing(): string | undefined {
  try {
    redisServerBinary();
    postgresBinaries();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runningAsRoot } from '../execution/process/run-identity.ts';
import { freeLoopbackPort } from './free-loopback-port.ts';
import { asPostgresUser, runServiceCommand } from './run-service-command.ts';
import { postgresBinaries } from './service-binaries.ts';
import { ServiceStartError } from './service-start-error.ts';
import {
  livePid,
  logTail,
  type RunningService,
  readServicePort,
  type ServiceStatus,
  waitForExit,
  writeServicePort,
} from './service-state.ts';

export interface StartPostgresOptions {
  /** The service's folder: data/ (the cluster), postgres.log, port. */
  dir: string;
  /** Loopback port; default: the one used last time in `dir`, else a free one. */
  port?: number;
  /** false: fsync off and initdb without sync (throwaway test clusters); default true. */
  durable?: boolean;
}

const LOG_FILE = 'postgres.log';

/**
 * Starts a PostgreSQL cluster on 127.0.0.1 (trust authentication, user `postgres`, no Unix socket), running
 * initdb on first start. As root the server runs as the `postgres` user, which must be able to reach `dir`.
 * Idempotent: when the cluster of `dir` already runs, returns it.
 */
export async function startPostgres(options: StartPostgresOptions): Promise<RunningService> {
  const dir = resolve(options.dir);
  const running = await postgresStatus(dir);
  if (running.running && running.pid && running.port)
    return { service: 'postgres', url: postgresUrl(running.port), port: running.port, pid: running.pid, dir };
  const { initdb, pgCtl } = postgresBinaries();
  const durable = options.durable ?? true;
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const owner = runningAsRoot() ? postgresUserIds() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  if (owner) await assertPostgresCanWrite(dir);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    const made = await runServiceCommand(
      asPostgresUser([
        initdb,
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
        ...(durable ? [] : ['--no-sync']),
      ]),
    );
    if (made.exitCode !== 0)
      throw new ServiceStartError('postgres', dir, `initdb failed (exit ${made.exitCode}):\n${made.output}`);
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        '# refinery services',
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        'max_connections = 300',
        ...(durable ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
        '',
      ].join('\n'),
    );
  }
  const port = options.port || readServicePort(dir) || (await freeLoopbackPort());
  const log = join(dir, LOG_FILE);
  const started = await runServiceCommand(
    asPostgresUser([pgCtl, '-D', data, '-l', log, '-w', '-t', '60', '-o', `-p ${port}`, 'start']),
    90_000,
  );
  if (started.exitCode !== 0)
    throw new ServiceStartError(
      'postgres',
      dir,
      `pg_ctl start failed (exit ${started.exitCode}): ${started.output}\nlog:\n${logTail(log)}`,
    );
  writeServicePort(dir, port);
  const pid = livePid(join(data, 'postmaster.pid'));
  if (!pid)
    throw new ServiceStartError('postgres', dir, `pg_ctl reported a start but no server runs; log:\n${logTail(log)}`);
  return { service: 'postgres', url: postgresUrl(port), port, pid, dir };
}

/** Stops the cluster of `dir` (fast shutdown: open sessions are ended, committed data is kept). False when none ran. */
export async function stopPostgres(dir: string): Promise<boolean> {
  const data = join(resolve(dir), 'data');
  const pid = livePid(join(data, 'postmaster.pid'));
  if (!pid) return false;
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000)))
    throw new ServiceStartError('postgres', dir, `postgres (pid ${pid}) did not exit within 30 s of a fast shutdown`);
  return true;
}

export async function postgresStatus(dir: string): Promise<ServiceStatus> {
  const absolute = resolve(dir);
  const port = readServicePort(absolute);
  if (!existsSync(join(absolute, 'data', 'PG_VERSION')))
    return { service: 'postgres', running: false, dir: absolute, note: 'never started here' };
  const pid = livePid(join(absolute, 'data', 'postmaster.pid'));
  if (!pid || !port) return { service: 'postgres', running: false, dir: absolute, port, note: 'not running' };
  return { service: 'postgres', running: true, dir: absolute, url: postgresUrl(port), port, pid };
}

export function postgresUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

function postgresUserIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry: string) => entry.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields)
    throw new ServiceStartError(
      'postgres',
      '/etc/passwd',
      'running as root, PostgreSQL must run as the `postgres` user, which does not exist (the Debian package `postgresql` creates it)',
    );
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** As root, postgres runs as `postgres`: every folder above `dir` must let it through (a checkout under /root does not). */
async function assertPostgresCanWrite(dir: string): Promise<void> {
  const probe = await runServiceCommand(asPostgresUser(['test', '-w', dir, '-a', '-x', dir]));
  if (probe.exitCode !== 0)
    throw new ServiceStartError(
      'postgres',
      dir,
      'running as root, PostgreSQL runs as the `postgres` user, which cannot reach this folder (a parent folder is not ' +
        'searchable by other users); pass --dir under a folder it can reach, e.g. --dir /var/tmp/refinery-services',
    );
}

import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { postgresStatus, startPostgres, stopPostgres } from './postgres-service.ts';
import { redisStatus, startRedis, stopRedis } from './redis-service.ts';
import { ServicePortTakenError } from './service-port-taken-error.ts';
import { type RunningService, readServicePort, type ServiceName, type ServiceStatus } from './service-state.ts';

/** Where `refinery services` keeps the servers' data, pid files and logs unless --dir says otherwise. */
export const DEFAULT_SERVICES_DIR = '.refinery/services';
/** The ports a first start uses: the servers' usual ones. */
export const DEFAULT_REDIS_PORT = 6379;
export const DEFAULT_POSTGRES_PORT = 5432;

export interface LocalServicesOptions {
  /** The folder holding redis/ and postgres/ (default .refinery/services). */
  dir: string;
  redisPort?: number;
  postgresPort?: number;
}

export interface StartedService extends RunningService {
  /** false when it was already running (start is idempotent). */
  started: boolean;
}

/**
 * Starts Redis and PostgreSQL for Refinery's queue and store (issue 20) on this machine, each under `dir`.
 * A server already running there is kept (and reported). Port: the flag, else the one used last time in `dir`,
 * else the usual one; a port taken by something else is an error naming the flag to change it.
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<StartedService[]> {
  const dir = resolve(options.dir);
  const redisDir = join(dir, 'redis');
  const postgresDir = join(dir, 'postgres');
  const out: StartedService[] = [];
  const redisBefore = await redisStatus(redisDir);
  if (redisBefore.running) out.push({ ...(await startRedis({ dir: redisDir })), started: false });
  else {
    const port = await choosePort('redis', redisDir, options.redisPort, DEFAULT_REDIS_PORT, '--redis-port');
    out.push({ ...(await startRedis({ dir: redisDir, port })), started: true });
  }
  const postgresBefore = await postgresStatus(postgresDir);
  if (postgresBefore.running) out.push({ ...(await startPostgres({ dir: postgresDir })), started: false });
  else {
    const port = await choosePort(
      'postgres',
      postgresDir,
      options.postgresPort,
      DEFAULT_POSTGRES_PORT,
      '--postgres-port',
    );
    out.push({ ...(await startPostgres({ dir: postgresDir, port })), started: true });
  }
  return out;
}

export interface StoppedService {
  service: ServiceName;
  /** The pid stopped, or undefined when it was not running. */
  pid?: number;
}

/** Stops both servers of `dir` (their data stays for the next start). */
export async function stopLocalServices(dir: string): Promise<StoppedService[]> {
  const redisDir = join(resolve(dir), 'redis');
  const postgresDir = join(resolve(dir), 'postgres');
  const redis = await redisStatus(redisDir);
  const postgres = await postgresStatus(postgresDir);
  await stopRedis(redisDir);
  await stopPostgres(postgresDir);
  return [
    { service: 'redis', pid: redis.pid },
    { service: 'postgres', pid: postgres.pid },
  ];
}

export async function localServicesStatus(dir: string): Promise<ServiceStatus[]> {
  return [await redisStatus(join(resolve(dir), 'redis')), await postgresStatus(join(resolve(dir), 'postgres'))];
}

async function choosePort(
  service: ServiceName,
  serviceDir: string,
  flag: number | undefined,
  usual: number,
  flagName: string,
): Promise<number> {
  const port = flag ?? readServicePort(serviceDir) ?? usual;
  if (!(await portFree(port))) throw new ServicePortTakenError(service, port, flagName);
  return port;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

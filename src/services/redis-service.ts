import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { freeLoopbackPort } from './free-loopback-port.ts';
import { runServiceCommand } from './run-service-command.ts';
import { redisServerBinary } from './service-binaries.ts';
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

export interface StartRedisOptions {
  /** The service's folder: AOF data, redis.pid, redis.log, port. */
  dir: string;
  /** Loopback port; default: the one used last time in `dir`, else a free one. */
  port?: number;
}

const PID_FILE = 'redis.pid';
const LOG_FILE = 'redis.log';

/**
 * Starts redis-server on 127.0.0.1 as a daemon whose state lives in `dir` (append-only file on, as BullMQ
 * recommends, so a restart loses no job). Idempotent: when the server of `dir` already runs, returns it.
 */
export async function startRedis(options: StartRedisOptions): Promise<RunningService> {
  const dir = resolve(options.dir);
  const running = await redisStatus(dir);
  if (running.running && running.pid && running.port)
    return { service: 'redis', url: redisUrl(running.port), port: running.port, pid: running.pid, dir };
  const binary = redisServerBinary();
  mkdirSync(dir, { recursive: true });
  const port = options.port || readServicePort(dir) || (await freeLoopbackPort());
  const started = await runServiceCommand([
    binary,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--daemonize',
    'yes',
    '--pidfile',
    join(dir, PID_FILE),
    '--logfile',
    join(dir, LOG_FILE),
    '--appendonly',
    'yes',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ]);
  if (started.exitCode !== 0)
    throw new ServiceStartError('redis', dir, `redis-server exited ${started.exitCode}: ${started.output}`);
  writeServicePort(dir, port);
  const begun = Date.now();
  for (;;) {
    const pid = livePid(join(dir, PID_FILE));
    if (pid && (await redisPing(port))) return { service: 'redis', url: redisUrl(port), port, pid, dir };
    if (!pid && Date.now() > begun + 3000)
      throw new ServiceStartError(
        'redis',
        dir,
        `redis-server is not running 3 s after start; log:\n${logTail(join(dir, LOG_FILE))}`,
      );
    if (Date.now() > begun + 20_000)
      throw new ServiceStartError(
        'redis',
        dir,
        `redis-server did not answer PING on 127.0.0.1:${port} within 20 s (port taken?); log:\n${logTail(join(dir, LOG_FILE))}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops the server of `dir` (SIGTERM: Redis flushes its append-only file and exits). False when none ran. */
export async function stopRedis(dir: string): Promise<boolean> {
  const pid = livePid(join(resolve(dir), PID_FILE));
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 20_000)))
    throw new ServiceStartError('redis', dir, `redis-server (pid ${pid}) did not exit within 20 s of SIGTERM`);
  return true;
}

export async function redisStatus(dir: string): Promise<ServiceStatus> {
  const absolute = resolve(dir);
  const port = readServicePort(absolute);
  const pid = livePid(join(absolute, PID_FILE));
  if (!port) return { service: 'redis', running: false, dir: absolute, note: 'never started here' };
  if (!pid) return { service: 'redis', running: false, dir: absolute, port, note: 'not running' };
  if (!(await redisPing(port)))
    return {
      service: 'redis',
      running: false,
      dir: absolute,
      port,
      pid,
      note: `pid ${pid} alive but no PING answer on port ${port}`,
    };
  return { service: 'redis', running: true, dir: absolute, url: redisUrl(port), port, pid };
}

export function redisUrl(port: number): string {
  return `redis://127.0.0.1:${port}`;
}

/** One PING over a raw socket (no client library needed to tell whether the server answers). */
export function redisPing(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

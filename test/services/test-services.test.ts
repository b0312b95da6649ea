import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisPing } from '../../src/services/redis-service.ts';
import { processAlive } from '../../src/services/service-state.ts';
import {
  type PrivateService,
  servicesMissingReason,
  servicesRequired,
  startPrivatePostgres,
  startPrivateRedis,
  testServices,
} from '../support/services.ts';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const skip = Boolean(servicesMissingReason) && !servicesRequired;

/** One statement through psql (postgresql-client, which the Debian `postgresql` package depends on). */
async function sql(url: string, statement: string): Promise<string> {
  const { stdout } = await run('psql', [url, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', statement], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
  });
  return stdout.trim();
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe.skipIf(skip)('test/support/services.ts: real Redis and PostgreSQL for the tests', () => {
  const started: PrivateService[] = [];
  afterAll(async () => {
    for (const service of started) await service.stop();
  });

  it('testServices() gives a Redis and a PostgreSQL that answer', async () => {
    const services = await testServices();
    expect(services).toBeDefined();
    const redis = new Redis(services?.redisUrl as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
    expect(await sql(services?.postgresUrl as string, 'select 40 + 2')).toBe('42');
  });

  it('a private Redis keeps its data across restart() (append-only file) and is gone after stop()', async () => {
    const server = await startPrivateRedis();
    started.push(server);
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    await redis.set('refinery:test', 'kept');
    const firstPid = server.pid();
    await server.restart();
    expect(server.pid()).not.toBe(firstPid);
    expect(processAlive(firstPid)).toBe(false);
    expect(await redis.get('refinery:test')).toBe('kept'); // ioredis reconnected to the same port
    redis.disconnect();
    await server.stop();
    expect(processAlive(server.pid())).toBe(false);
    expect(await redisPing(server.port)).toBe(false);
  });

  it('a private PostgreSQL keeps committed rows across restart() and is gone after stop()', async () => {
    const server = await startPrivatePostgres();
    started.push(server);
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    await sql(server.url, 'create table kept (n int); insert into kept values (7)');
    const firstPid = server.pid();
    await server.restart();
    expect(server.pid()).not.toBe(firstPid);
    expect(await sql(server.url, 'select n from kept')).toBe('7');
    await server.stop();
    expect(processAlive(server.pid())).toBe(false);
  });

  it('servers of a test process killed with kill -9 are stopped and their temp dir removed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(here, 'fixtures/start-private-redis.ts')], {
      cwd: resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    expect(await waitUntil(() => out.includes('\n'), 30_000)).toBe(true);
    const { pid, dir } = JSON.parse(out.split('\n')[0] as string) as { pid: number; dir: string };
    expect(processAlive(pid)).toBe(true);
    expect(existsSync(dir)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitUntil(() => !processAlive(pid) && !existsSync(dir), 15_000)).toBe(true);
  });
});

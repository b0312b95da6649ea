import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { freeLoopbackPort } from '../../src/services/free-loopback-port.ts';
import { processAlive } from '../../src/services/service-state.ts';
import { captureOutput } from '../support/capture-output.ts';
import { servicesMissingReason, servicesRequired } from '../support/services.ts';
import { shippedRefinery } from '../support/shipped-refinery.ts';

const skip = Boolean(servicesMissingReason) && !servicesRequired;
const refinery = (...argv: string[]) => captureOutput(() => main(argv, shippedRefinery));

describe.skipIf(skip)('refinery services start|stop|status', () => {
  // As root, postgres runs as the `postgres` user: the temp dir must let it through.
  const root = mkdtempSync(join(tmpdir(), 'refinery-services-cmd-'));
  const dir = join(root, 'services');
  afterAll(async () => {
    await refinery('services', 'stop', '--dir', dir);
    rmSync(root, { recursive: true, force: true });
  });

  it('start prints both URLs, is idempotent, status reports them, stop stops them and keeps the data', async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(root, 0o711);
    const redisPort = await freeLoopbackPort();
    const postgresPort = await freeLoopbackPort();
    const first = await refinery(
      'services',
      'start',
      '--dir',
      dir,
      '--redis-port',
      `${redisPort}`,
      '--postgres-port',
      `${postgresPort}`,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const postgresUrl = `postgres://postgres@127.0.0.1:${postgresPort}/postgres`;
    expect(first.stdout).toContain(`${redisUrl}  (pid`);
    expect(first.stdout).toContain(`${postgresUrl}  (pid`);
    expect(first.stdout).toContain(`refinery worker --queue ${redisUrl} --store ${postgresUrl}`);
    const pids = [...first.stdout.matchAll(/\(pid (\d+), started/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);

    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => {}); // it reconnects while the servers are stopped below
    await redis.set('refinery:kept', '1');

    // Idempotent: the same servers, reported as already running (no port flag needed: the dir remembers).
    const again = await refinery('services', 'start', '--dir', dir);
    expect(again.code).toBe(0);
    expect([...again.stdout.matchAll(/\(pid (\d+), already running/g)].map((m) => Number(m[1]))).toEqual(pids);

    const status = await refinery('services', 'status', '--dir', dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`redis +running  ${redisUrl}`));
    expect(status.stdout).toMatch(new RegExp(`postgres +running  ${postgresUrl}`));

    const stop = await refinery('services', 'stop', '--dir', dir);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`stopped (pid ${pids[0]})`);
    expect(stop.stdout).toContain(`stopped (pid ${pids[1]})`);
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
    const stopped = await refinery('services', 'status', '--dir', dir);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/redis +stopped/);

    // Started again on the ports remembered in --dir, with the data kept (Redis's append-only file).
    const restarted = await refinery('services', 'start', '--dir', dir);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain(`${redisUrl}  (pid`);
    expect(await redis.get('refinery:kept')).toBe('1');
    redis.disconnect();
  });

  it('a port taken by another program: exit 2 naming the flag to change it', async () => {
    const taken = await freeLoopbackPort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', r));
    try {
      const other = join(root, 'other');
      const result = await refinery('services', 'start', '--dir', other, '--redis-port', `${taken}`);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${taken} on 127.0.0.1 is taken`);
      expect(result.stderr).toContain('--redis-port PORT');
    } finally {
      blocker.close();
    }
  });

  it('redis-server missing: exit 2 naming the Debian package', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(root, 'empty-path');
    try {
      const result = await refinery('services', 'start', '--dir', join(root, 'missing'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("'redis-server' is not installed here");
      expect(result.stderr).toContain('apt-get install -y redis-server');
    } finally {
      process.env.PATH = path;
    }
  });

  it('a port that is not a number: exit 2', async () => {
    const result = await refinery('services', 'start', '--dir', join(root, 'bad'), '--redis-port', 'six');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--redis-port six: not a port');
  });
});

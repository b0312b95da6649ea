import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, stopPostgres } from '../../src/services/postgres-service.ts';
import { startRedis, stopRedis } from '../../src/services/redis-service.ts';
import { serviceBinariesMissing } from '../../src/services/service-binaries.ts';

/**
 * Redis and PostgreSQL for the tests of issue 20, always real servers (never a mock).
 *
 * - {@link testServices}: the URLs the queue/store tests use: $REFINERY_TEST_REDIS_URL and
 *   $REFINERY_TEST_PG_URL when set (.ci/run starts the servers and sets them), else private servers started in a
 *   temp dir for this test process when the binaries exist; else under CI=true it throws (the suite fails
 *   loudly), and elsewhere it returns undefined after printing why (the caller skips).
 * - {@link startPrivateRedis} / {@link startPrivatePostgres}: a server of the test's own, on a free loopback
 *   port in a temp dir, for the tests that restart a server mid-batch (never restart the shared ones).
 *
 * Whatever is started here is stopped and its temp dir removed when the test process exits, and also when it is
 * killed (a detached `sh` reaper watches the process), so nothing is left behind.
 */
export interface TestServices {
  redisUrl: string;
  postgresUrl: string;
}

/** A server started by a test: `restart()` stops it and starts it again on the same port with the same data. */
export interface PrivateService {
  url: string;
  port: number;
  /** Its temp dir (removed by stop() or when this process ends). */
  dir: string;
  /** The server's current pid (changes on restart). */
  pid(): number;
  restart(): Promise<void>;
  /** Stops it and removes its temp dir (idempotent). */
  stop(): Promise<void>;
}

/** On CI a missing Redis/PostgreSQL fails the tests that need them; elsewhere they are skipped with the reason. */
export const servicesRequired = Boolean(process.env.CI);

/** Why the services cannot be started here (a missing binary, naming its Debian package), or undefined. */
export const servicesMissingReason: string | undefined = serviceBinariesMissing();

let shared: Promise<TestServices | undefined> | undefined;

export function testServices(): Promise<TestServices | undefined> {
  shared ??= findTestServices();
  return shared;
}

async function findTestServices(): Promise<TestServices | undefined> {
  let redisUrl = process.env.REFINERY_TEST_REDIS_URL;
  let postgresUrl = process.env.REFINERY_TEST_PG_URL;
  if (redisUrl && postgresUrl) return { redisUrl, postgresUrl };
  if (servicesMissingReason) {
    const reason =
      `refinery tests: $REFINERY_TEST_REDIS_URL/$REFINERY_TEST_PG_URL not set and no local servers to start: ${servicesMissingReason}. ` +
      'The queue/store tests need real Redis and PostgreSQL (.ci/run installs and starts them).';
    if (servicesRequired) throw new Error(reason);
    console.warn(`${reason} Skipped here; on CI they fail.`);
    return undefined;
  }
  redisUrl ??= (await startPrivateRedis()).url;
  postgresUrl ??= (await startPrivatePostgres()).url;
  return { redisUrl, postgresUrl };
}

export function startPrivateRedis(): Promise<PrivateService> {
  return startPrivate('redis', (dir, port) => startRedis({ dir, port }), stopRedis);
}

export function startPrivatePostgres(): Promise<PrivateService> {
  return startPrivate('postgres', (dir, port) => startPostgres({ dir, port, durable: false }), stopPostgres);
}

type Start = (dir: string, port?: number) => Promise<{ url: string; port: number; pid: number }>;

async function startPrivate(
  name: string,
  start: Start,
  stop: (dir: string) => Promise<boolean>,
): Promise<PrivateService> {
  const root = mkdtempSync(join(tmpdir(), `refinery-test-${name}-`));
  // As root, postgres runs as the `postgres` user: it must be able to pass through the temp dir.
  chmodSync(root, 0o711);
  const dir = join(root, name);
  owned.add(root);
  watchForKill(root);
  let running: { url: string; port: number; pid: number };
  try {
    running = await start(dir);
  } catch (error) {
    removeNow(root);
    throw error;
  }
  let stopped = false;
  return {
    url: running.url,
    port: running.port,
    dir: root,
    pid: () => running.pid,
    async restart() {
      await stop(dir);
      running = await start(dir, running.port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stop(dir);
      removeNow(root);
    },
  };
}

/** Temp roots of the servers this process started and has not stopped yet. */
const owned = new Set<string>();

process.once('exit', () => {
  for (const root of owned) removeNow(root);
});

/** Kills the servers under `root` (they are daemons, not our children) and removes it; sync, for the exit handler too. */
function removeNow(root: string): void {
  owned.delete(root);
  for (const [pidFile, signal] of [
    [join(root, 'redis', 'redis.pid'), 'SIGTERM'],
    [join(root, 'postgres', 'data', 'postmaster.pid'), 'SIGQUIT'],
  ] as const) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), signal);
    } catch {
      // not running
    }
  }
  rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/**
 * A detached reaper: when this test process is gone (even by kill -9, which runs no exit handler), it stops the
 * servers under `root` and removes it. It exits by itself once that is done or `root` is already gone.
 */
function watchForKill(root: string): void {
  const script = [
    'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done',
    '[ -d "$2" ] || exit 0',
    'f="$2/redis/redis.pid"; [ -f "$f" ] && kill -TERM "$(head -n1 "$f")" 2>/dev/null',
    'f="$2/postgres/data/postmaster.pid"; [ -f "$f" ] && kill -QUIT "$(head -n1 "$f")" 2>/dev/null',
    'sleep 2; rm -rf "$2"',
  ].join('\n');
  spawn('sh', ['-c', script, 'refinery-test-reaper', String(process.pid), root], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

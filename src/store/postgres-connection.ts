import pg from 'pg';

/** How long a query waits for a restarted or unreachable server before it fails (a restart takes seconds). */
const RETRY_FOR_MS = 60_000;

/** SQLSTATEs and socket errors of a server that went away or is starting: the query is sent again. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True for an error of a lost or refused connection (not of the query itself). */
export function isTransientPgError(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  if (typeof err?.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
  const message = typeof err?.message === 'string' ? err.message : '';
  return /Connection terminated|connection error|not queryable|terminating connection|the database system is (starting|shutting)/i.test(
    message,
  );
}

/**
 * Runs `operation` again while it fails because the server went away (a restart, a dropped connection), with
 * growing pauses, for up to a minute. Every statement given here must be safe to repeat (the store's inserts
 * use ON CONFLICT, LangGraph's saver upserts).
 */
export async function withReconnect<T>(operation: () => Promise<T>, retryForMs = RETRY_FOR_MS): Promise<T> {
  const deadline = Date.now() + retryForMs;
  let pause = 50;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransientPgError(error) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 1000);
    }
  }
}

/** Connections a process's store opens at most when the URL does not say (`?pool_size=N`). */
export const DEFAULT_POOL_SIZE = 2;

/**
 * The store URL without Refinery's own parameter `pool_size` (the most connections this process opens to the
 * store, at least 2: the schema setup holds one while LangGraph's migrations take another), and that size.
 * A run sends one statement at a time, so a worker running one job at a time needs no more than 2; many workers
 * on one server go through PgBouncer (docs/scaling.md). Undefined size: the parameter is not a whole number ≥ 2.
 */
export function poolSizeOf(url: string): { url: string; poolSize: number | undefined } {
  const match = /([?&])pool_size=([^&]*)(&?)/.exec(url);
  if (!match) return { url, poolSize: DEFAULT_POOL_SIZE };
  const size = /^\d+$/.test(match[2]!) ? Number(match[2]) : Number.NaN;
  const rest = url.slice(0, match.index) + (match[3] ? match[1] : '') + url.slice(match.index + match[0].length);
  return { url: rest, poolSize: Number.isSafeInteger(size) && size >= 2 ? size : undefined };
}

/**
 * A connection pool to `url` of `max` connections at most. Idle connections the server closes (a restart) are
 * dropped from the pool instead of crashing the process; the next query opens a new one.
 */
export function openPgPool(url: string, max = DEFAULT_POOL_SIZE): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool has already removed it.
  });
  // A connection the server closes while a client is checked out (between the statements of a transaction) is
  // an 'error' event on that client: without a listener it would end the process. The statement that follows
  // fails instead (and is sent again, withReconnect), and the pool drops the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

import type { ConnectionOptions } from 'bullmq';
import { TaskError } from '../runtime/task-error.ts';

/** The BullMQ queue a batch goes to: `refinery batch --queue URL` and `refinery worker --queue URL` meet on it. */
export interface QueueAddress {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** The queue's name (`--queue-name`, default `refinery`): batches and workers of one name share its jobs. */
  name: string;
}

export const DEFAULT_QUEUE_NAME = 'refinery';

/** Checks `--queue URL` and `--queue-name NAME` (bad input: exit 2 naming the flag). */
export function queueAddress(url: string, name: string = DEFAULT_QUEUE_NAME): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TaskError('--queue', '', `'${url}' is not a URL (redis://HOST:PORT)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new TaskError('--queue', '', `'${url}' is not a redis:// or rediss:// URL`);
  if (!/^[A-Za-z0-9_-]+$/.test(name))
    throw new TaskError('--queue-name', '', `'${name}': use letters, digits, '-' and '_' only`);
  return { url, name };
}

/**
 * Connection options for every BullMQ object Refinery opens: commands wait for Redis to come back instead of
 * failing (`maxRetriesPerRequest: null`, which BullMQ requires of workers), so a Redis restart only pauses a
 * batch. ioredis reconnects by itself, every 50 ms more up to 2 s between tries.
 */
export function connectionOf(address: QueueAddress): ConnectionOptions {
  return {
    url: address.url,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 50, 2000),
  };
}

/** The Redis key where a submitter leaves the worker-side settings of the queue (`queue:` of its config). */
export function settingsKey(address: QueueAddress): string {
  return `refinery:queue:${address.name}:settings`;
}

/**
 * The Redis key a submitter sets when its batch's whole-batch budget is spent (the value is the reason): workers stop
 * that batch's running tasks at their next step boundary. Expires after a week.
 */
export function batchStopKey(address: QueueAddress, batchId: string): string {
  return `refinery:queue:${address.name}:batch:${batchId}:stop`;
}

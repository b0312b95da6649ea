import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { connectionOf, type QueueAddress, queueAddress, settingsKey } from '../../src/queue/queue-connection.ts';
import { type RefineryChild, spawnRefinery } from '../support/loopback-model.ts';

/** A queue of the test's own on a shared Redis (other tests and engineers use the same server). */
export function privateQueue(redisUrl: string, label: string): QueueAddress {
  return queueAddress(redisUrl, `test-${label}-${randomBytes(4).toString('hex')}`);
}

/** `refinery worker` in a child process (through tsx), with the loopback model's key. */
export function spawnWorker(
  address: QueueAddress,
  options: { killAfterEvents?: number; env?: NodeJS.ProcessEnv; concurrency?: number } = {},
): RefineryChild {
  return spawnRefinery(
    [
      'worker',
      '--queue',
      address.url,
      '--queue-name',
      address.name,
      ...(options.concurrency ? ['--concurrency', String(options.concurrency)] : []),
    ],
    options,
  );
}

/** Stops workers (SIGTERM, as a user would) and waits for them to exit. */
export async function stopWorkers(workers: RefineryChild[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exit));
}

/** Removes the queue's keys and its settings from Redis. */
export async function removeQueue(address: QueueAddress): Promise<void> {
  const queue = new Queue(address.name, { connection: connectionOf(address) });
  await queue.obliterate({ force: true });
  await queue.close();
  const redis = new Redis(address.url);
  await redis.del(settingsKey(address));
  redis.disconnect();
}

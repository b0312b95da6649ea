/**
 * Preloaded into a child `refinery` process by the kill-and-resume tests (`node --import tsx --import <this>`):
 * after the child has written REFINERY_KILL_AFTER_EVENTS trajectory lines it sends itself SIGKILL (kill -9),
 * right after that write, so the kill lands at an exact, seeded point of the run. With REFINERY_KILL_TORN=1 the
 * next line is cut half way first (a run killed while writing an event).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const after = Number(process.env['REFINERY_KILL_AFTER_EVENTS'] ?? Number.NaN);
const torn = process.env['REFINERY_KILL_TORN'] === '1';

if (Number.isInteger(after) && after >= 0) {
  const writeSync = fs.writeSync;
  let lines = 0;
  fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    const isEvent = typeof data === 'string' && data.startsWith('{"seq":') && data.endsWith('\n');
    if (isEvent && lines === after && torn) {
      (writeSync as (fd: number, data: string) => number)(fd, data.slice(0, Math.max(1, data.length >> 1)));
      process.kill(process.pid, 'SIGKILL');
    }
    const written = (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    if (isEvent && ++lines === after && !torn) process.kill(process.pid, 'SIGKILL');
    return written;
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
}

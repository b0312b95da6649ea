import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ServiceName = 'redis' | 'postgres';

/** A running local service. */
export interface RunningService {
  service: ServiceName;
  url: string;
  port: number;
  pid: number;
  /** The service's own folder (data, pid file, log). */
  dir: string;
}

/** What `services status` reports for one service. */
export interface ServiceStatus {
  service: ServiceName;
  running: boolean;
  dir: string;
  url?: string;
  port?: number;
  pid?: number;
  /** When not running: why (never started, stale pid file, not answering). */
  note?: string;
}

const PORT_FILE = 'port';

/** The port the service in `dir` was last started on (written at start, kept after stop so a restart reuses it). */
export function readServicePort(dir: string): number | undefined {
  const file = join(dir, PORT_FILE);
  if (!existsSync(file)) return undefined;
  const port = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

export function writeServicePort(dir: string, port: number): void {
  writeFileSync(join(dir, PORT_FILE), `${port}\n`);
}

/** The pid in a pid file (first line), when that process is alive. */
export function livePid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return processAlive(pid) ? pid : undefined;
}

/** Whether `pid` is a live process (a zombie left unreaped by a container's pid 1 counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Waits until `pid` has exited; false when it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

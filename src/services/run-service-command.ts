import { execFile } from 'node:child_process';
import { runningAsRoot } from '../execution/process/run-identity.ts';

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user (runuser, util-linux). */
export function asPostgresUser(argv: string[]): string[] {
  return runningAsRoot() ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
}

export interface CommandResult {
  exitCode: number;
  output: string;
}

/** Runs a short service-management command (initdb, pg_ctl, redis-server --daemonize) to its end. */
export function runServiceCommand(argv: string[], timeoutMs = 60_000): Promise<CommandResult> {
  const [program, ...args] = argv;
  return new Promise((resolve) => {
    execFile(program as string, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const spawnFailure = error && typeof error.code === 'string' ? `${error.message}\n` : '';
      resolve({ exitCode: code, output: `${spawnFailure}${stdout}${stderr}`.trim() });
    });
  });
}

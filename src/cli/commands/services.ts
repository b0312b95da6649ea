import { Command, Option } from 'commander';
import {
  DEFAULT_POSTGRES_PORT,
  DEFAULT_REDIS_PORT,
  DEFAULT_SERVICES_DIR,
  localServicesStatus,
  startLocalServices,
  stopLocalServices,
} from '../../services/local-services.ts';
import { type CliContext, setAction } from '../cli-context.ts';
import { UsageError } from '../usage-error.ts';

interface ServicesFlags {
  dir: string;
  redisPort?: string;
  postgresPort?: string;
}

/**
 * `refinery services start|stop|status [--dir D]`: the Redis (queue) and PostgreSQL (store) of issue 20 on this
 * machine, on 127.0.0.1, with their data, pid files and logs under D (default .refinery/services). `start` is
 * idempotent and prints the two URLs to give `--queue` and `--store`.
 */
export function servicesCommand(ctx: CliContext): Command {
  const command = new Command('services')
    .summary('start, stop or show the local Redis and PostgreSQL (for --queue and --store)')
    .description(
      'Run redis-server and PostgreSQL on 127.0.0.1 for `refinery worker --queue` and `--store` (Debian packages ' +
        '`redis-server` and `postgresql`). Data, pid files and logs live under --dir; PostgreSQL is initialised on ' +
        'first start (user postgres, trust authentication on loopback; as root it runs as the `postgres` user).',
    );
  const dirOption = () =>
    new Option('--dir <DIR>', 'where the servers keep data, pid files and logs').default(DEFAULT_SERVICES_DIR);
  const start = new Command('start')
    .description('start both servers (kept if already running) and print their URLs')
    .addOption(dirOption())
    .addOption(
      new Option('--redis-port <PORT>', `Redis port on a first start (default: last used, else ${DEFAULT_REDIS_PORT})`),
    )
    .addOption(
      new Option(
        '--postgres-port <PORT>',
        `PostgreSQL port on a first start (default: last used, else ${DEFAULT_POSTGRES_PORT})`,
      ),
    );
  setAction(start, ctx, async (flags: ServicesFlags) => {
    const services = await startLocalServices({
      dir: flags.dir,
      redisPort: port(flags.redisPort, '--redis-port'),
      postgresPort: port(flags.postgresPort, '--postgres-port'),
    });
    for (const s of services)
      ctx.stdout.write(
        `${s.service.padEnd(9)}${s.url}  (pid ${s.pid}, ${s.started ? 'started' : 'already running'}; ${s.dir})\n`,
      );
    const [redis, postgres] = services;
    ctx.stdout.write(`workers: refinery worker --queue ${redis?.url} --store ${postgres?.url}\n`);
    return 0;
  });
  const stop = new Command('stop')
    .description('stop both servers (their data stays for the next start)')
    .addOption(dirOption());
  setAction(stop, ctx, async (flags: ServicesFlags) => {
    for (const s of await stopLocalServices(flags.dir))
      ctx.stdout.write(`${s.service.padEnd(9)}${s.pid ? `stopped (pid ${s.pid})` : 'was not running'}\n`);
    return 0;
  });
  const status = new Command('status')
    .description('show whether each server runs and its URL; exits 1 unless both run')
    .addOption(dirOption());
  setAction(status, ctx, async (flags: ServicesFlags) => {
    const statuses = await localServicesStatus(flags.dir);
    for (const s of statuses)
      ctx.stdout.write(
        `${s.service.padEnd(9)}${s.running ? `running  ${s.url}  (pid ${s.pid})` : `stopped  (${s.note})`}  ${s.dir}\n`,
      );
    return statuses.every((s) => s.running) ? 0 : 1;
  });
  return command.addCommand(start).addCommand(stop).addCommand(status);
}

function port(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new UsageError('refinery services', `${flag} ${text}: not a port (an integer from 1 to 65535)`);
  return value;
}

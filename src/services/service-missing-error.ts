import { RefineryError } from '../errors/refinery-error.ts';

/** A program a local service needs (redis-server, PostgreSQL's initdb/pg_ctl) is not installed here: exit 2, the message names the Debian package. */
export class ServiceMissingError extends RefineryError {
  readonly code = 'SERVICE_MISSING';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'ServiceMissingError';
  constructor(
    readonly service: 'redis' | 'postgres',
    readonly program: string,
    readonly debianPackage: string,
    readonly looked: string,
  ) {
    super(
      `cannot start ${service}: '${program}' is not installed here (looked ${looked}); ` +
        `install the Debian package with \`apt-get install -y ${debianPackage}\``,
    );
  }
}

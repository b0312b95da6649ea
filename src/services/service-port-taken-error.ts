import { RefineryError } from '../errors/refinery-error.ts';
import type { ServiceName } from './service-state.ts';

/** The port a service should listen on is taken by another program: exit 2, the message names the flag to change it. */
export class ServicePortTakenError extends RefineryError {
  readonly code = 'SERVICE_PORT_TAKEN';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'ServicePortTakenError';
  constructor(
    readonly service: ServiceName,
    readonly port: number,
    readonly flag: string,
  ) {
    super(
      `cannot start ${service}: port ${port} on 127.0.0.1 is taken by another program (another ${service} server?); ` +
        `choose another with ${flag} PORT`,
    );
  }
}

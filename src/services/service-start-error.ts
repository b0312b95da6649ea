import { RefineryError } from '../errors/refinery-error.ts';

/** A local service did not come up (or did not stop); `detail` carries the tail of its log. */
export class ServiceStartError extends RefineryError {
  readonly code = 'SERVICE_START';
  readonly exitStatus = 'error';
  override readonly name = 'ServiceStartError';
  constructor(
    readonly service: 'redis' | 'postgres',
    readonly dataDir: string,
    readonly detail: string,
  ) {
    super(`${service} in ${dataDir}: ${detail}`);
  }
}

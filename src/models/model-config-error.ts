import { RefineryError } from '../errors/refinery-error.ts';
import type { ProviderName } from './model-types.ts';

/** A model's configuration cannot work (missing API key, missing base URL). Raised before any request. */
export class ModelConfigError extends RefineryError {
  readonly code = 'MODEL_CONFIG';
  readonly exitStatus = 'invalid-input';
  override readonly name = 'ModelConfigError';
  constructor(
    message: string,
    readonly provider: ProviderName,
    readonly model: string,
    /** The config key to fix, e.g. `models.coder.apiKey`. */
    readonly configKey: string,
  ) {
    super(message);
  }
}

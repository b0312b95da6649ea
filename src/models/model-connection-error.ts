import { ModelError, type ModelErrorFields } from './model-error.ts';

/** No usable HTTP exchange: connection refused, reset, DNS failure, or a stream cut mid-way. */
export class ModelConnectionError extends ModelError {
  override readonly name = 'ModelConnectionError';
  readonly code = 'MODEL_CONNECTION';
  /** The base URL the client was talking to. */
  readonly baseUrl: string;

  constructor(message: string, fields: ModelErrorFields & { baseUrl: string }) {
    super(message, fields);
    this.baseUrl = fields.baseUrl;
  }
}

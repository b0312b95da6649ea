import { ModelError, type ModelErrorFields } from './model-error.ts';

/** The provider answered with an HTTP error status (429, 5xx, 4xx). */
export class ModelHttpError extends ModelError {
  override readonly name = 'ModelHttpError';
  readonly code = 'MODEL_HTTP';
  declare readonly status: number;
  /** The provider's own error message from the response body, if any. */
  readonly serverMessage: string | undefined;

  constructor(message: string, fields: ModelErrorFields & { status: number; serverMessage?: string }) {
    super(message, fields);
    this.serverMessage = fields.serverMessage;
  }
}

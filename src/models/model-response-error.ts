import { ModelError, type ModelErrorFields } from './model-error.ts';

/**
 * A 2xx reply that is not a usable answer.
 * - `malformed-json`: the body (or a stream chunk) is not valid JSON;
 * - `not-json`: the body has a non-JSON content type (usually a wrong base URL answering with a web page);
 * - `unexpected-shape`: valid JSON without the fields the provider's format requires;
 * - `truncated`: a stream ended without a finish reason / stop event;
 * - `stream-error`: the provider sent an error event inside the stream.
 */
export type ResponseProblem = 'malformed-json' | 'not-json' | 'unexpected-shape' | 'truncated' | 'stream-error';

export class ModelResponseError extends ModelError {
  override readonly name = 'ModelResponseError';
  readonly code = 'MODEL_RESPONSE';
  readonly problem: ResponseProblem;

  constructor(message: string, fields: ModelErrorFields & { problem: ResponseProblem }) {
    super(message, fields);
    this.problem = fields.problem;
  }
}

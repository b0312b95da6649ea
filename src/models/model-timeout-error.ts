import { ModelError, type ModelErrorFields } from './model-error.ts';

/**
 * An attempt took too long. `response`: a non-streamed reply did not arrive within `timeoutSec`;
 * `headers`: a stream's headers did not arrive within `timeoutSec`; `idle`: a stream sent nothing for
 * `idleTimeoutSec` between chunks.
 */
export type TimeoutPhase = 'response' | 'headers' | 'idle';

export class ModelTimeoutError extends ModelError {
  override readonly name = 'ModelTimeoutError';
  readonly code = 'MODEL_TIMEOUT';
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(message: string, fields: ModelErrorFields & { phase: TimeoutPhase; timeoutMs: number }) {
    super(message, fields);
    this.phase = fields.phase;
    this.timeoutMs = fields.timeoutMs;
  }
}

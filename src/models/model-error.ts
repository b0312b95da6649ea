import { RefineryError } from '../errors/refinery-error.ts';
import type { ProviderName } from './model-types.ts';

export interface ModelErrorFields {
  provider: ProviderName;
  model: string;
  /** HTTP status of the failed attempt, when there was a response. */
  status?: number;
  /** HTTP attempts made for this call up to and including the failing one. */
  attempts: number;
  /** Whether Refinery's retry layer may try again. */
  retryable: boolean;
  /** Server-requested wait before the next attempt (retry-after-ms / retry-after), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** Base of every model-layer error; the concrete classes (one per file) say what went wrong. */
export abstract class ModelError extends RefineryError {
  readonly exitStatus = 'error';
  readonly provider: ProviderName;
  readonly model: string;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, fields: ModelErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.provider = fields.provider;
    this.model = fields.model;
    this.status = fields.status;
    this.attempts = fields.attempts;
    this.retryable = fields.retryable;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

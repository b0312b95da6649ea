import { RefineryError } from '../errors/refinery-error.ts';

/** The run store cannot be used: a bad `--store` value (exit 2), or a database that stays unreachable (exit 3). */
export class StoreError extends RefineryError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly exitStatus: 'invalid-input' | 'error';
  override readonly name = 'StoreError';
  constructor(
    /** The store as the user gave it (the URL without its password, or the directory). */
    readonly store: string,
    readonly detail: string,
    kind: 'invalid-input' | 'error' = 'error',
  ) {
    super(`store ${store}: ${detail}`);
    this.exitStatus = kind;
  }
}

import { RefineryError } from '../../errors/refinery-error.ts';

/** A recorded-samples model could not answer: the key has no recording, or its samples are used up. */
export class RecordedSampleError extends RefineryError {
  readonly code = 'RECORDED_SAMPLE';
  readonly exitStatus = 'error';
  readonly reason: 'missing-key' | 'unknown-key' | 'exhausted';
  readonly source: string;
  readonly agent: string;
  readonly key: string | undefined;
  readonly requested: number;
  readonly available: number;
  readonly consumed: number;

  constructor(fields: {
    reason: 'missing-key' | 'unknown-key' | 'exhausted';
    source: string;
    agent: string;
    key: string | undefined;
    requested: number;
    available: number;
    consumed: number;
  }) {
    super(RecordedSampleError.describe(fields));
    this.name = 'RecordedSampleError';
    this.reason = fields.reason;
    this.source = fields.source;
    this.agent = fields.agent;
    this.key = fields.key;
    this.requested = fields.requested;
    this.available = fields.available;
    this.consumed = fields.consumed;
  }

  private static describe(f: {
    reason: string;
    source: string;
    agent: string;
    key: string | undefined;
    requested: number;
    available: number;
    consumed: number;
  }): string {
    switch (f.reason) {
      case 'missing-key':
        return `recorded model (${f.source}): agent '${f.agent}' sent a request without recordKey; the graph must set it (e.g. to the task id)`;
      case 'unknown-key':
        return `recorded model (${f.source}): no recording for key '${f.key}' (agent '${f.agent}')`;
      default:
        return (
          `recorded model (${f.source}): recording for key '${f.key}' (agent '${f.agent}') is exhausted: ` +
          `asked for ${f.requested} more sample(s) after ${f.consumed} of ${f.available}`
        );
    }
  }
}

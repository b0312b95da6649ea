import type { TimeoutPhase } from './model-timeout-error.ts';

/** Rejection value of `AttemptTimer.race` when the armed timeout fires first. */
export class AttemptTimedOut {
  constructor(
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
  ) {}
}

/**
 * One HTTP attempt's watchdog. The SDKs time out only the wait for response headers, so Refinery arms its
 * own timer: for the whole of a non-streamed reply, for a stream's headers, and between stream chunks.
 * Firing aborts the attempt's signal (which the SDK links to its fetch) and rejects the raced promise.
 */
export class AttemptTimer {
  private readonly controller = new AbortController();
  /** Pass to the SDK request: aborted by the timer or by the caller. */
  readonly signal: AbortSignal;
  fired: AttemptTimedOut | undefined;
  /** The phase and limit last armed, for reporting a timeout the SDK noticed first. */
  lastArmed: AttemptTimedOut | undefined;
  private handle: ReturnType<typeof setTimeout> | undefined;
  private rejectArmed: ((reason: AttemptTimedOut) => void) | undefined;
  private armed: Promise<never> | undefined;

  private readonly unlinkCaller: () => void;

  constructor(callerSignal?: AbortSignal) {
    this.signal = this.controller.signal;
    // Linked by hand and unlinked in close(): AbortSignal.any on a long-lived run signal retains every
    // composite on Node 20.
    if (!callerSignal) {
      this.unlinkCaller = () => {};
    } else if (callerSignal.aborted) {
      this.controller.abort(callerSignal.reason);
      this.unlinkCaller = () => {};
    } else {
      const onAbort = () => this.controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', onAbort, { once: true });
      this.unlinkCaller = () => callerSignal.removeEventListener('abort', onAbort);
    }
  }

  arm(phase: TimeoutPhase, timeoutMs: number): void {
    this.disarm();
    this.lastArmed = new AttemptTimedOut(phase, timeoutMs);
    this.armed = new Promise<never>((_, reject) => {
      this.rejectArmed = reject;
    });
    this.armed.catch(() => {});
    this.handle = setTimeout(() => {
      this.fired = new AttemptTimedOut(phase, timeoutMs);
      this.rejectArmed?.(this.fired);
      this.controller.abort(this.fired);
    }, timeoutMs);
  }

  disarm(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.armed = undefined;
    this.rejectArmed = undefined;
  }

  /** Settles with `promise`, or rejects with `AttemptTimedOut` if the armed timer fires first. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (!this.armed) return promise;
    promise.catch(() => {});
    return Promise.race([promise, this.armed]);
  }

  /** Iterates `source`, allowing at most `timeoutMs` of silence before each item. */
  async *idleLimited<T>(source: AsyncIterable<T>, timeoutMs: number): AsyncGenerator<T> {
    const iterator = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        this.arm('idle', timeoutMs);
        const next = await this.race(iterator.next());
        this.disarm();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      this.disarm();
    }
  }

  /** Ends the attempt: stops the timer and releases the connection if still open. */
  close(): void {
    this.disarm();
    this.unlinkCaller();
    if (!this.controller.signal.aborted) this.controller.abort(new Error('attempt finished'));
  }
}

import { describe, expect, it } from 'vitest';
import { requestKey } from '../../src/replay/recorded-ledger.ts';
import { type ResumePlan, resumeLedgers } from '../../src/runtime/resume-plan.ts';
import type { HeaderEvent, TrajectoryEvent } from '../../src/trajectory/trajectory-events.ts';

const request = (n: number) => ({ agent: 'coder', model: 'm', messages: [{ role: 'user', content: `ask ${n}` }] });

/** A cancelled run's prefix: an answered call, a call that failed on its own, and the call the cancellation cut off. */
function cancelledPlan(): ResumePlan {
  const header = { seq: 0, type: 'header' } as unknown as HeaderEvent;
  const events = [
    header,
    { seq: 1, type: 'model_call', node: 'coder', call: 0, request: request(1), reply: { text: 'one' } },
    {
      seq: 2,
      type: 'model_error',
      node: 'coder',
      call: 1,
      request: request(2),
      error: { name: 'ModelHttpError', message: 'HTTP 500' },
    },
    {
      seq: 3,
      type: 'model_error',
      node: 'coder',
      call: 2,
      request: request(3),
      error: { name: 'RunCancelledError', message: 'run cancelled: worker stopped (SIGTERM)' },
    },
    { seq: 4, type: 'final', status: 'cancelled' },
  ] as unknown as TrajectoryEvent[];
  return { header, events, after: 'cancelled', nextSeq: 5 } as unknown as ResumePlan;
}

describe('resumeLedgers', () => {
  it('answers the calls the prefix holds, but not the one the cancellation cut off (it is sent again)', () => {
    const { models } = resumeLedgers(cancelledPlan(), undefined);
    expect(models.size).toBe(2);
    expect(models.take(requestKey('model', request(1)))).toMatchObject({ kind: 'reply' });
    expect(models.take(requestKey('model', request(2)))).toMatchObject({
      kind: 'error',
      error: { name: 'ModelHttpError' },
    });
    expect(models.take(requestKey('model', request(3)))).toBeUndefined();
  });
});

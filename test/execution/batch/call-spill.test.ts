import { afterAll, describe, expect, it } from 'vitest';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { runPythonCalls } from '../../../src/execution/batch/run-python-calls.ts';

// A calls pool lets a long call spill: after LONG_CALL_MS it frees its slot, and the queue goes on beside it.
const HARNESS = `def run(job):
    if job.startswith('spin'):
        while True:
            pass
    return job
`;

const spilling = new PythonWorkerPool({ size: 1 });
const single = new PythonWorkerPool({ size: 1, spill: 0 });
afterAll(async () => {
  await spilling.close();
  await single.close();
});

/** The order in which the calls' answers arrive (each job alone in its own request). */
async function answerOrder(pool: PythonWorkerPool, jobs: string[]): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(
    jobs.map((job) =>
      runPythonCalls({ harness: HARNESS, jobs: [job], cpuLimitSec: 2, wallLimitSec: 60 }, { pool, cache: false }).then(
        (result) => {
          order.push(`${job}:${result.runs[0]!.status}`);
        },
      ),
    ),
  );
  return order;
}

describe('calls pool spill', () => {
  it('answers the calls queued behind one at its CPU limit while it runs, on one slot', async () => {
    const order = await answerOrder(spilling, ['spin', 'a', 'b']);
    expect(order).toEqual(['a:ok', 'b:ok', 'spin:timeout']);
  });

  it('without spill, the queue waits for the call at its limit', async () => {
    const order = await answerOrder(single, ['spin', 'a', 'b']);
    expect(order).toEqual(['spin:timeout', 'a:ok', 'b:ok']);
  });

  it('runs several calls at their limit side by side, each still stopped at its CPU limit', async () => {
    const result = await runPythonCalls(
      { harness: HARNESS, jobs: ['spin1', 'x', 'spin2'], cpuLimitSec: 2, wallLimitSec: 60 },
      { pool: spilling, cache: false },
    );
    expect(result.runs.map((r) => [r.status, r.error ?? null])).toEqual([
      ['timeout', 'cpu'],
      ['ok', null],
      ['timeout', 'cpu'],
    ]);
    expect(result.runs[0]!.cpuSec).toBeGreaterThan(1);
  });
});

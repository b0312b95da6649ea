import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZYGOTE_SCRIPT } from '../../../src/execution/batch/python-worker.ts';
import { PythonWorkerPool } from '../../../src/execution/batch/python-worker-pool.ts';
import { runPythonCalls } from '../../../src/execution/batch/run-python-calls.ts';
import { runPythonPrograms } from '../../../src/execution/batch/run-python-programs.ts';
import { ResultCache } from '../../../src/execution/cache/result-cache.ts';
import { InvalidExecutionRequestError } from '../../../src/execution/invalid-execution-request-error.ts';

// The engine's semantics of calls are in the matrix engine conformance suite; these are the batch layer's own.
const pool = new PythonWorkerPool({ size: 2 });
afterAll(() => pool.close());

const HARNESS = `import json

def run(job):
    if job == 'set':
        return {1, 2}
    if job == 'nan':
        return float('nan')
    if job == 'exit':
        exit()
    if job == 'raise':
        raise LookupError(job)
    if job == 'odd':
        raise type('odd|name\\nhere', (Exception,), {})()
    if job == 'guard':
        import os, shutil
        return [exit is not None, os.getcwd is not None, shutil.rmtree is not None]
    return {'job': job, 'text': json.dumps(job)}
`;

describe('runPythonCalls', () => {
  it('gives the outcomes of the naive baseline, a fresh python3 per call (--single), for the same harness', async () => {
    const jobs = [{ a: [1, 'x|y'] }, 'exit', 'raise', 'guard', 'set'];
    const engine = await runPythonCalls({ harness: HARNESS, jobs, cpuLimitSec: 5 }, { pool, cache: false });
    const python = (await pool.forCalls().describe()).python;
    const single = jobs.map((job) => {
      const input = JSON.stringify({ op: 'call', harness: HARNESS, job, cpu: 5, wall: 11 });
      const reply = JSON.parse(
        execFileSync(python, ['-s', '-B', ZYGOTE_SCRIPT, '--single'], { input, encoding: 'utf8' }),
      ) as {
        status: string;
        error: string | null;
        value?: unknown;
      };
      return { status: reply.status, error: reply.error ?? undefined, value: reply.value };
    });
    expect(engine.runs.map(({ status, error, value }) => ({ status, error, value }))).toEqual(single);
    expect(single.map((s) => s.status)).toEqual(['ok', 'crashed', 'crashed', 'ok', 'crashed']);
    // calls see a normal interpreter, not CodeT's guarded one
    expect(single[3]!.value).toEqual([true, true, true]);
  });

  it("answers a value that JSON cannot hold as the harness's crash; CodeT's programs keep the guard", async () => {
    const result = await runPythonCalls(
      { harness: HARNESS, jobs: ['set', 'nan', 'odd', 'ok'], cpuLimitSec: 5 },
      { pool, cache: false },
    );
    expect(result.runs.map((r) => [r.status, r.error])).toEqual([
      ['crashed', 'TypeError'],
      ['crashed', 'ValueError'],
      // an exception class named with the protocol's separators cannot break the worker's reply line
      ['crashed', 'odd_name here'],
      ['ok', undefined],
    ]);
    // the matrix pool's programs still meet the reliability guard: exit is None there
    const guarded = await runPythonPrograms({ programs: ['exit()'], timeoutMs: 5000 }, { pool, cache: false });
    expect([guarded.runs[0]!.outcome, guarded.runs[0]!.error]).toEqual(['failed', 'TypeError']);
  });

  it('rejects malformed requests naming the field', async () => {
    const bad = [
      { harness: HARNESS, jobs: [1], cpuLimitSec: 0 },
      { harness: HARNESS, jobs: [1], cpuLimitSec: 1, wallLimitSec: Number.NaN },
      { harness: HARNESS, jobs: [1, undefined], cpuLimitSec: 1 },
      { harness: ' ', jobs: [1], cpuLimitSec: 1 },
    ];
    const fields = [];
    for (const request of bad) {
      const error = await runPythonCalls(request, { pool, cache: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidExecutionRequestError);
      fields.push((error as InvalidExecutionRequestError).field);
    }
    expect(fields).toEqual(['cpuLimitSec', 'wallLimitSec', 'jobs[1]', 'harness']);
  });

  it('registers each distinct harness once per worker, and forgets them all past 64', async () => {
    const single = new PythonWorkerPool({ size: 1 });
    try {
      const counts: unknown[] = [];
      for (let i = 1; i <= 66; i++) {
        const harness = `# harness ${i % 65}\nimport sys\ndef run(job):\n    return sum(1 for n in sys.modules if n.startswith('_refinery_harness_'))\n`;
        const result = await runPythonCalls({ harness, jobs: [i], cpuLimitSec: 5 }, { pool: single, cache: false });
        counts.push(result.runs[0]!.value);
      }
      // the 65th distinct harness finds the worker reset; the 66th is the first one again, registered anew
      expect(counts).toEqual([...Array.from({ length: 64 }, (_, i) => i + 1), 1, 2]);
    } finally {
      await single.close();
    }
  });

  it('runs calls only on the guard-free sibling pool, which closes with its pool', async () => {
    const sibling = pool.forCalls();
    expect(pool.forCalls()).toBe(sibling);
    expect(sibling.forCalls()).toBe(sibling);
    const call = { op: 'call', harnessKey: 'k', harnessSource: HARNESS, job: '1', cpuSec: 1, limit: 3 } as const;
    await expect(pool.submit(call)).rejects.toThrow('pool.forCalls()');
    await expect(sibling.submit({ op: 'program', source: 'pass', timeout: 1, limit: 2 })).rejects.toThrow('calls only');
    const own = new PythonWorkerPool({ size: 1 });
    const calls = own.forCalls();
    await own.close();
    await expect(calls.submit(call)).rejects.toThrow('closed');
  });
  it('runs a job that concurrent requests share once when they share a cache, and again for a request without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refinery-inflight-'));
    try {
      const cache = new ResultCache(dir);
      const shared = { job: 'shared', n: Math.random() };
      const requests = [
        [shared, 'a'],
        [shared, 'b'],
        [shared, 'c'],
      ].map((jobs) => runPythonCalls({ harness: HARNESS, jobs, cpuLimitSec: 5 }, { pool, cache }));
      const results = await Promise.all(requests);
      const executed = results.reduce((sum, r) => sum + r.stats.executed, 0);
      const cached = results.reduce((sum, r) => sum + r.stats.cached, 0);
      expect([executed, cached]).toEqual([4, 2]);
      for (const r of results) expect(r.runs[0]!.value).toMatchObject({ job: shared });
      const uncached = await Promise.all(
        [0, 1].map(() => runPythonCalls({ harness: HARNESS, jobs: [shared], cpuLimitSec: 5 }, { pool, cache: false })),
      );
      expect(uncached.map((r) => r.stats.executed)).toEqual([1, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

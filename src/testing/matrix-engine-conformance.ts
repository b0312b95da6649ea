/**
 * The contract every candidates × tests engine (`MatrixEngine`, src/execution/matrix) must keep, as a vitest
 * suite (exported as `refinery/testing`). Call it from a test file; it declares the describe/it blocks:
 *
 *   describeMatrixEngineConformance('batch, reuse', () => createBatchMatrixEngine({ pool, cache: false }));
 *
 * Candidates and tests are Python (the language of the engines that exist). Every case finishes in about a
 * second; the per-test timer is generous so a loaded machine never times out a trivial test. The harness-call
 * cases (`runCalls`) use a 1 s CPU limit where a call must hit it, and generous limits elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallsRequest, MatrixEngine, MatrixRequest } from '../execution/matrix/matrix-engine.ts';

export interface MatrixEngineConformanceOptions {
  /** The per-test timer of the suite's requests (default 0.5 s); a looping test costs this much. */
  perTestTimeoutSec?: number;
  /**
   * An engine of the same kind whose result cache lives in `dir` (a fresh temporary directory the suite removes
   * afterwards), for the cases that check answers from the cache. Without it those cases are skipped.
   */
  makeCachedEngine?: (dir: string) => MatrixEngine | Promise<MatrixEngine>;
}

/** The harness of the call cases: what each job asks for (Python; `run(job)` is the entry point). */
const CALL_HARNESS = `import io
import os
import sys
import time

calls_seen = []


def run(job):
    kind = job.get('kind') if isinstance(job, dict) else None
    if kind is None:
        return {'echo': job, 'type': type(job).__name__}
    if kind == 'square':
        return job['x'] * job['x']
    if kind == 'spin':
        while True:
            pass
    if kind == 'sleep':
        time.sleep(job['seconds'])
        return 'woke'
    if kind == 'exit':
        exit(3)
    if kind == 'raise':
        raise ValueError('from the harness')
    if kind == 'fresh':
        calls_seen.append(job)
        os.environ['CALL_WAS_HERE'] = '1'
        return len(calls_seen)
    if kind == 'interpreter':
        return {'exit': type(exit).__name__, 'cwd': isinstance(os.getcwd(), str), 'input': _read_stdin(),
                'env': os.environ.get('CALL_WAS_HERE')}
    if kind == 'print':
        print('discarded')
        captured = io.StringIO()
        sys.stdout = captured
        print('kept', end='')
        sys.stdout = sys.__stdout__
        return captured.getvalue()
    raise KeyError(kind)


def _read_stdin():
    try:
        return 'read:' + input()
    except EOFError:
        return 'EOFError'
`;

export function describeMatrixEngineConformance(
  name: string,
  makeEngine: () => MatrixEngine | Promise<MatrixEngine>,
  options: MatrixEngineConformanceOptions = {},
): void {
  const perTestTimeoutSec = options.perTestTimeoutSec ?? 0.5;

  describe(`matrix engine conformance: ${name}`, () => {
    let engine: MatrixEngine;
    beforeAll(async () => {
      engine = await makeEngine();
    });

    const request = (
      prelude: string,
      candidates: string[],
      tests: string[],
      extra: Partial<MatrixRequest> = {},
    ): MatrixRequest => ({
      prelude,
      candidates,
      tests,
      perTestTimeoutSec,
      ...extra,
    });

    const PRELUDE = 'def f(x):\n';
    const PLUS_ONE = '    return x + 1\n';
    const DOUBLE = '    return x * 2\n';
    const ZERO = '    return 0\n';
    const TESTS = ['assert f(1) == 2', 'assert f(3) == 6', 'assert f(0) == 0', 'assert f(2) == 4'];

    describe('matrix shape', () => {
      it('answers one row per candidate and one flag per test, both in request order', async () => {
        const result = await engine.runMatrix(request(PRELUDE, [PLUS_ONE, DOUBLE, ZERO], TESTS));
        expect(result).toEqual({
          rows: [
            [true, false, false, false],
            [true, true, true, true],
            [false, false, true, false],
          ],
          timeouts: 0,
        });
        // the same pairs asked in another order answer in that order
        const permuted = await engine.runMatrix(request(PRELUDE, [ZERO, PLUS_ONE], [TESTS[2]!, TESTS[0]!, TESTS[1]!]));
        expect(permuted.rows).toEqual([
          [true, false, false],
          [false, true, false],
        ]);
      });

      it('answers repeated candidates and repeated tests in every place they occur', async () => {
        const tests = [TESTS[1]!, TESTS[0]!, TESTS[1]!];
        const result = await engine.runMatrix(request(PRELUDE, [DOUBLE, PLUS_ONE, DOUBLE, DOUBLE], tests));
        expect(result.rows).toEqual([
          [true, true, true],
          [false, true, false],
          [true, true, true],
          [true, true, true],
        ]);
      });

      it('answers no rows for no candidates, and an empty row per candidate for no tests', async () => {
        expect(await engine.runMatrix(request(PRELUDE, [], TESTS))).toEqual({ rows: [], timeouts: 0 });
        expect(await engine.runMatrix(request(PRELUDE, [PLUS_ONE, DOUBLE], []))).toEqual({
          rows: [[], []],
          timeouts: 0,
        });
      });

      it('runs candidates that are whole programs when the prelude is empty', async () => {
        const candidates = ['def g(s):\n    return s[::-1]\n', 'def g(s):\n    return s\n'];
        const result = await engine.runMatrix(
          request('', candidates, ["assert g('ab') == 'ba'", "assert g('aa') == 'aa'"]),
        );
        expect(result.rows).toEqual([
          [true, true],
          [false, true],
        ]);
      });
    });

    describe('verdicts', () => {
      it('fails only the test that raises', async () => {
        const result = await engine.runMatrix(
          request(PRELUDE, [PLUS_ONE], ["assert f('a') == 'a1'", 'assert f(1) == 2', 'assert f(None) is None']),
        );
        expect(result.rows).toEqual([[false, true, false]]);
      });

      it('loses the whole vector of a candidate that does not load, and only that one', async () => {
        const syntaxError = '    return x +\n';
        const raisesWhenDefined = '    return x + 1\nraise RuntimeError("while loading")\n';
        const result = await engine.runMatrix(
          request(PRELUDE, [syntaxError, PLUS_ONE, raisesWhenDefined], [TESTS[0]!, TESTS[2]!]),
        );
        expect(result.rows).toEqual([null, [true, false], null]);
      });

      it('stops a test at its own timer, fails only that test, and counts it', async () => {
        const loopsOnZero = '    while x == 0:\n        pass\n    return x + 1\n';
        const result = await engine.runMatrix(
          request(PRELUDE, [loopsOnZero, PLUS_ONE], ['assert f(0) == 1', 'assert f(1) == 2', 'assert f(2) == 3']),
        );
        expect(result.rows).toEqual([
          [false, true, true],
          [true, true, true],
        ]);
        expect(result.timeouts).toBe(1);
      });

      it('runs each candidate as in a fresh process: what one candidate changes, the next does not see', async () => {
        const breaksLen = '    return len(x)\nimport builtins\nbuiltins.len = lambda v: 0\n';
        const usesLen = '    return len(x)\n';
        const result = await engine.runMatrix(
          request(PRELUDE, [breaksLen, usesLen, breaksLen, usesLen], ['assert f([1, 2]) == 2']),
        );
        expect(result.rows).toEqual([[false], [true], [false], [true]]);
      });
    });

    describe('tests that compile alone but not inside the harness', () => {
      // `import *` is legal at module level only: extraction keeps this test, the harness cannot place it.
      const poisoned = 'assert f(2) == 3\nfrom math import *';

      it('fail only themselves by default', async () => {
        const result = await engine.runMatrix(request(PRELUDE, [PLUS_ONE, DOUBLE], [TESTS[0]!, poisoned]));
        expect(result.rows).toEqual([
          [true, false],
          [true, false],
        ]);
      });

      it("lose every candidate's vector under `lose-vectors` (CodeT's reference)", async () => {
        const result = await engine.runMatrix(
          request(PRELUDE, [PLUS_ONE, DOUBLE], [TESTS[0]!, poisoned], { uncompilableTests: 'lose-vectors' }),
        );
        expect(result.rows).toEqual([null, null]);
      });
    });

    describe('whole programs', () => {
      it('answers passed, failed or timeout per program, in request order, repeats in every place', async () => {
        const programs = [
          'assert 1 + 1 == 2',
          'assert 1 + 1 == 3',
          'while True:\n    pass',
          'raise ValueError("no")',
          'assert 1 + 1 == 2',
          'x = (',
        ];
        const result = await engine.runPrograms({ programs, timeoutSec: perTestTimeoutSec });
        expect(result).toEqual({ outcomes: ['passed', 'failed', 'timeout', 'failed', 'passed', 'failed'] });
        expect(await engine.runPrograms({ programs: [], timeoutSec: perTestTimeoutSec })).toEqual({ outcomes: [] });
      });
    });

    describe('harness calls', () => {
      const calls = (jobs: unknown[], extra: Partial<CallsRequest> = {}): CallsRequest => ({
        harness: CALL_HARNESS,
        jobs,
        cpuLimitSec: 5,
        ...extra,
      });

      it('answers run(job) for every JSON job, in request order, repeats in every place, each run once', async () => {
        const jobs = [
          3,
          'a|b\nc ü "q"',
          null,
          true,
          [1, [2, { k: 'v' }]],
          { nested: { list: [1.5, -2], empty: {} } },
          3,
          { kind: 'square', x: 12 },
        ];
        const result = await engine.runCalls(calls(jobs));
        const types = ['int', 'str', 'NoneType', 'bool', 'list', 'dict', 'int'];
        expect(result.outcomes.map((o) => o.status)).toEqual(jobs.map(() => 'ok'));
        expect(result.outcomes.map((o) => o.value)).toEqual([
          ...jobs.slice(0, 7).map((job, i) => ({ echo: job, type: types[i] })),
          144,
        ]);
        for (const outcome of result.outcomes) {
          expect(outcome.cached).toBe(false);
          expect(outcome.cpuSec).toBeGreaterThanOrEqual(0);
          expect(outcome.wallMs).toBeGreaterThan(0);
        }
        expect(result.stats).toMatchObject({ executed: 7, cached: 0, timeouts: 0, timeoutSeconds: 0 });
        expect(await engine.runCalls(calls([]))).toEqual({
          outcomes: [],
          stats: { executed: 0, cached: 0, timeouts: 0, timeoutSeconds: 0 },
        });
      });

      it('ends a call that spins at its CPU limit and one that sleeps at its wall ceiling, and only those', async () => {
        // the spin meets its 1 s CPU limit long before a generous wall ceiling, however loaded the machine; the
        // sleep uses no CPU
        const [cpu, wall] = await Promise.all([
          engine.runCalls(calls([{ kind: 'spin' }, { kind: 'square', x: 3 }], { cpuLimitSec: 1, wallLimitSec: 20 })),
          engine.runCalls(calls([{ kind: 'sleep', seconds: 60 }], { cpuLimitSec: 1, wallLimitSec: 0.5 })),
        ]);
        const ends = [...cpu.outcomes, ...wall.outcomes].map(({ status, error, value }) => ({ status, error, value }));
        expect(ends).toEqual([
          { status: 'timeout', error: 'cpu', value: undefined },
          { status: 'ok', error: undefined, value: 9 },
          { status: 'timeout', error: 'wall', value: undefined },
        ]);
        expect(cpu.outcomes[0]!.cpuSec).toBeGreaterThan(0);
        expect([cpu.stats.timeouts, wall.stats.timeouts]).toEqual([1, 1]);
        expect(cpu.stats.timeoutSeconds).toBeGreaterThan(0);
      });

      it('reports how run ended when it raised: SystemExit from exit(), the class of any other exception', async () => {
        const result = await engine.runCalls(calls([{ kind: 'exit' }, { kind: 'raise' }, { kind: 'unknown' }]));
        expect(result.outcomes.map(({ status, error }) => ({ status, error }))).toEqual([
          { status: 'crashed', error: 'SystemExit' },
          { status: 'crashed', error: 'ValueError' },
          { status: 'crashed', error: 'KeyError' },
        ]);
      });

      it("runs each call in a normal interpreter (not CodeT's guarded one) that no earlier call has changed", async () => {
        const result = await engine.runCalls(
          calls([{ kind: 'fresh', n: 1 }, { kind: 'fresh', n: 2 }, { kind: 'interpreter' }, { kind: 'print' }]),
        );
        expect(result.outcomes.map((o) => o.value)).toEqual([
          1,
          1,
          { exit: 'Quitter', cwd: true, input: 'EOFError', env: null },
          'kept',
        ]);
      });

      it('rejects a harness that does not load or defines no run(job)', async () => {
        await expect(engine.runCalls({ harness: 'def run(job:\n', jobs: [1], cpuLimitSec: 1 })).rejects.toThrow(
          /harness.*SyntaxError/,
        );
        await expect(engine.runCalls({ harness: 'x = 1\n', jobs: [1], cpuLimitSec: 1 })).rejects.toThrow(/run\(job\)/);
      });

      describe('with a result cache', () => {
        const makeCachedEngine = options.makeCachedEngine;
        let dir = '';
        beforeAll(() => {
          dir = mkdtempSync(join(tmpdir(), 'refinery-engine-conformance-'));
        });
        afterAll(() => rmSync(dir, { recursive: true, force: true }));

        it.skipIf(!makeCachedEngine)(
          'answers a repeated call from the cache, keyed by harness, job and limits',
          async () => {
            const first = await makeCachedEngine!(dir);
            const jobs = [{ kind: 'square', x: 5 }, { kind: 'exit' }, { kind: 'square', x: 5 }];
            const cold = await first.runCalls(calls(jobs));
            expect(cold.outcomes.map((o) => [o.status, o.value ?? o.error, o.cached])).toEqual([
              ['ok', 25, false],
              ['crashed', 'SystemExit', false],
              ['ok', 25, false],
            ]);
            expect(cold.stats).toMatchObject({ executed: 2, cached: 0 });
            // another engine on the same cache directory, as a later run would have
            const warm = await (await makeCachedEngine!(dir)).runCalls(calls(jobs));
            expect(warm.outcomes.map((o) => [o.status, o.value ?? o.error, o.cached])).toEqual([
              ['ok', 25, true],
              ['crashed', 'SystemExit', true],
              ['ok', 25, true],
            ]);
            expect(warm.stats).toMatchObject({ executed: 0, cached: 2 });
            // another limit or another harness is another key
            const otherLimit = await first.runCalls(calls([jobs[0]], { cpuLimitSec: 6 }));
            const otherHarness = await first.runCalls(calls([jobs[0]], { harness: `${CALL_HARNESS}\n# edited\n` }));
            expect([otherLimit.outcomes[0]!.cached, otherHarness.outcomes[0]!.cached]).toEqual([false, false]);
            expect([otherLimit.outcomes[0]!.value, otherHarness.outcomes[0]!.value]).toEqual([25, 25]);
          },
        );
      });
    });

    describe('cancellation', () => {
      it('rejects with the reason of a signal that is already aborted', async () => {
        const signal = AbortSignal.abort(new Error('cancelled before'));
        await expect(engine.runMatrix(request(PRELUDE, [PLUS_ONE], TESTS), { signal })).rejects.toThrow(
          'cancelled before',
        );
        await expect(engine.runPrograms({ programs: ['pass'], timeoutSec: 1 }, { signal })).rejects.toThrow(
          'cancelled before',
        );
        await expect(engine.runCalls({ harness: CALL_HARNESS, jobs: [1], cpuLimitSec: 1 }, { signal })).rejects.toThrow(
          'cancelled before',
        );
      });

      it('rejects a call in progress when its signal aborts, instead of answering', async () => {
        // Without the abort both calls would answer: the sleep ends well inside its timers.
        const sleeps = 'import time\ndef f(x):\n';
        const controller = new AbortController();
        const matrix = engine.runMatrix(
          {
            prelude: sleeps,
            candidates: ['    time.sleep(1)\n    return x\n'],
            tests: ['assert f(1) == 1'],
            perTestTimeoutSec: 5,
          },
          { signal: controller.signal },
        );
        const programs = engine.runPrograms(
          { programs: ['import time\ntime.sleep(1)'], timeoutSec: 5 },
          { signal: controller.signal },
        );
        const harnessCalls = engine.runCalls(
          { harness: CALL_HARNESS, jobs: [{ kind: 'sleep', seconds: 1 }], cpuLimitSec: 5 },
          { signal: controller.signal },
        );
        setTimeout(() => controller.abort(new Error('cancelled during')), 100);
        await expect(matrix).rejects.toThrow('cancelled during');
        await expect(programs).rejects.toThrow('cancelled during');
        await expect(harnessCalls).rejects.toThrow('cancelled during');
      });
    });
  });
}

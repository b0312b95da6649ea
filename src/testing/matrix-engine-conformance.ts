/**
 * The contract every candidates × tests engine (`MatrixEngine`, src/execution/matrix) must keep, as a vitest
 * suite (exported as `refinery/testing`). Call it from a test file; it declares the describe/it blocks:
 *
 *   describeMatrixEngineConformance('batch, reuse', () => createBatchMatrixEngine({ pool, cache: false }));
 *
 * Candidates and tests are Python (the language of the engines that exist). Every case finishes in about a
 * second; the per-test timer is generous so a loaded machine never times out a trivial test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MatrixEngine, MatrixRequest } from '../execution/matrix/matrix-engine.ts';

export interface MatrixEngineConformanceOptions {
  /** The per-test timer of the suite's requests (default 0.5 s); a looping test costs this much. */
  perTestTimeoutSec?: number;
}

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

    describe('cancellation', () => {
      it('rejects with the reason of a signal that is already aborted', async () => {
        const signal = AbortSignal.abort(new Error('cancelled before'));
        await expect(engine.runMatrix(request(PRELUDE, [PLUS_ONE], TESTS), { signal })).rejects.toThrow(
          'cancelled before',
        );
        await expect(engine.runPrograms({ programs: ['pass'], timeoutSec: 1 }, { signal })).rejects.toThrow(
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
        setTimeout(() => controller.abort(new Error('cancelled during')), 100);
        await expect(matrix).rejects.toThrow('cancelled during');
        await expect(programs).rejects.toThrow('cancelled during');
      });
    });
  });
}

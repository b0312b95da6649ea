import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  type CodetResult,
  codetOptionsSchema,
  codetPipeline,
  createCodetPipeline,
} from '../../../graphs/codet/index.ts';
import { main } from '../../../src/cli/main.ts';
import { loadHumanEvalProblems } from '../../../src/datasets/load-humaneval-problems.ts';
import { closeSharedPythonWorkerPool, PythonWorkerPool } from '../../../src/execution/batch/index.ts';
import { sharedCompileChecker } from '../../../src/execution/compile/python-compile-checker.ts';
import { createBatchMatrixEngine } from '../../../src/execution/matrix/batch-matrix-engine.ts';
import { joinSamplesByPrompt } from '../../../src/models/recorded/join-samples-by-prompt.ts';
import { RecordedSamplesModel } from '../../../src/models/recorded/recorded-samples-model.ts';
import { sampleSourceByAgent, sampleSourceFromMap } from '../../../src/models/recorded/sample-source.ts';
import { createRefinery } from '../../../src/runtime/create-refinery.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const F = join(ROOT, 'fixtures/codet/');
const work = mkdtempSync(join(tmpdir(), 'codet-e2e-'));
const pool = new PythonWorkerPool({ size: 2 });

afterAll(async () => {
  await pool.close();
  await closeSharedPythonWorkerPool();
  sharedCompileChecker().close();
});

describe('codet graph end to end on the tiny fixture (real execution, recorded samples)', () => {
  it('runs coder → tester → extract → execute → rank → critic → evaluate and picks the consensus pool', async () => {
    const refinery = createRefinery({
      pipelines: [
        createCodetPipeline({
          acquireEngine: () => ({ engine: createBatchMatrixEngine({ pool, cache: false }), release() {} }),
        }),
      ],
    });
    const solutions = joinSamplesByPrompt(`${F}tiny-solutions.jsonl`, `${F}tiny-problems.jsonl`);
    const tests = joinSamplesByPrompt(`${F}tiny-tests.jsonl`, `${F}tiny-test-problems.jsonl`);
    const model = new RecordedSamplesModel(
      sampleSourceByAgent({
        coder: sampleSourceFromMap('solutions', solutions),
        tester: sampleSourceFromMap('tests', tests),
      }),
    );
    const results: Record<string, CodetResult> = {};
    for (const problem of loadHumanEvalProblems(`${F}tiny-problems.jsonl`)) {
      const run = await refinery.run({
        configPath: join(ROOT, 'configs/codet.yaml'),
        cwd: ROOT,
        task: {
          taskId: problem.taskId,
          prompt: problem.prompt,
          entryPoint: problem.entryPoint,
          groundTruth: { test: problem.test },
          samples: { solutions: solutions.get(problem.taskId)!.length, tests: tests.get(problem.taskId)!.length },
        },
        models: { 'codegen-coder': model, 'codegen-tester': model },
        trajectoryPath: join(work, `${problem.taskId.replace('/', '_')}.jsonl`),
      });
      expect(run.error).toBeUndefined();
      results[problem.taskId] = run.result as CodetResult;
    }

    const add = results['Tiny/0']!;
    expect(add.pick).toBe('    return a + b\n');
    expect(add.topPool).toEqual({ score: 8, size: 4, distinct: 2 });
    expect(add.tests).toEqual({ distinct: 3, total: 4 });
    expect(add.evaluation).toMatchObject({ pickPassed: true, topPoolCorrect: 4, passAtK: { 'pass@1': 1 } });

    const even = results['Tiny/1']!;
    expect(even.topPool).toEqual({ score: 2, size: 5, distinct: 2 });
    expect(even.evaluation!.passAtK['pass@1']).toBeCloseTo(0.2, 12);
    expect(even.evaluation!.pickPassed).toBe(false);

    const triple = results['Tiny/2']!;
    expect(triple.fallback).toBe(true);
    expect(triple.timeouts.tests).toBe(1); // the `while True` sample hits its per-test timer
    expect(triple.evaluation!.groundTruth).toEqual({ passed: 1, failed: 1, timeout: 1 });

    // The trajectory holds the recorded model calls, the matrix step and the critic's explanation.
    const events = readFileSync(join(work, 'Tiny_0.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const calls = events.filter((e) => e.type === 'model_call');
    expect(calls.map((e) => [e.request.agent, e.request.recordKey, e.reply.texts.length])).toEqual([
      ['coder', 'Tiny/0', 7],
      ['tester', 'Tiny/0', 6],
    ]);
    expect(calls[0].request.messages.at(-1).content).toBe(loadHumanEvalProblems(`${F}tiny-problems.jsonl`)[0]!.prompt);
    expect(events.filter((e) => e.type === 'execution').map((e) => e.kind)).toEqual([
      'python-compile-check',
      'codet-matrix',
      'codet-ground-truth',
    ]);
    const note = events.find((e) => e.type === 'note' && e.node === 'critic');
    expect(note.message).toContain('Top pool: score 8, 4 samples (2 distinct completions)');
    expect(events.at(-1)).toMatchObject({ type: 'final', status: 'passed' });
  });

  it('loses every vector when one test cannot compile inside the harness function, as the reference does', async () => {
    // CodeT asks for the reference's behaviour through its own options; the engine's default only fails that test.
    const uncompilableTests = codetOptionsSchema.parse({}).exec.uncompilableTests;
    expect(uncompilableTests).toBe('lose-vectors');
    const engine = createBatchMatrixEngine({ pool, cache: false });
    const request = {
      prelude: 'def inc(x):\n',
      candidates: ['    return x + 1\n', '    return x\n'],
      tests: ['assert inc(1) == 2', 'assert inc(0) == 0'],
      perTestTimeoutSec: 0.1,
      uncompilableTests,
    };
    expect(await engine.runMatrix(request)).toEqual({
      rows: [
        [true, false],
        [false, true],
      ],
      timeouts: 0,
    });
    // Compiles at module level (so extraction keeps it) but `import *` is illegal inside check().
    const poisoned = { ...request, tests: [...request.tests, 'assert inc(2) == 3\nfrom math import *'] };
    expect(await engine.runMatrix(poisoned)).toEqual({ rows: [null, null], timeouts: 0 });
  });

  it('`refinery bench codet --json` on the fixture prints the summary keys and writes per-task results', async () => {
    vi.stubEnv('REFINERY_CACHE_DIR', join(work, 'cache'));
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      // Through the CLI, as a user runs it: the shipped default (shared batch pool, disk cache).
      code = await main(
        [
          'bench',
          'codet',
          '--problems',
          `${F}tiny-problems.jsonl`,
          '--test-problems',
          `${F}tiny-test-problems.jsonl`,
          '--solutions',
          `${F}tiny-solutions.jsonl`,
          '--tests',
          `${F}tiny-tests.jsonl`,
          '--tasks',
          'Tiny/1,Tiny/2',
          '--out',
          join(work, 'bench'),
          '--json',
        ],
        createRefinery({ pipelines: [codetPipeline] }),
      );
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(code).toBe(0);
    const summary = JSON.parse(printed.join(''));
    expect(summary.tasks).toBe(2);
    expect(summary['pass@1']).toBeCloseTo((100 * (0.2 + 1 / 3)) / 2, 3);
    expect(summary['pass@2']).toBeCloseTo((100 * (0.36 + 2 / 3)) / 2, 3);
    expect(summary['random_pass@1']).toBeCloseTo((100 * (0.2 + 1 / 3)) / 2, 3);
    for (const key of ['pass@10', 'random_pass@10', 'random_pass@100']) expect(typeof summary[key]).toBe('number');
    expect(summary.fallback_tasks).toBe(1);
    expect(summary.timeouts).toEqual({ dual_tests: 1, ground_truth: 1 });
    const lines = readFileSync(join(work, 'bench/results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.taskId, l.chosenPool.size, l.chosenPool.correct, l.pickPassed]).sort()).toEqual([
      ['Tiny/1', 5, 1, false],
      ['Tiny/2', 3, 1, false],
    ]);
    expect(readdirSync(join(work, 'bench/trajectories')).sort()).toEqual(['Tiny_1.jsonl', 'Tiny_2.jsonl']);
  });
});

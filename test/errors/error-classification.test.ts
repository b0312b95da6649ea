import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BudgetExhaustedError, type BudgetName } from '../../src/budget/budget-exhausted-error.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { EditParseError } from '../../src/editing/edit-parse-error.ts';
import { classifyError } from '../../src/errors/classify-error.ts';
import { RefineryError } from '../../src/errors/refinery-error.ts';
import { BatchWorkerError } from '../../src/execution/batch/batch-worker-error.ts';
import { TestCompileCheckError } from '../../src/execution/compile/test-compile-check-error.ts';
import { InvalidExecutionRequestError } from '../../src/execution/invalid-execution-request-error.ts';
import { MutationEngineError } from '../../src/execution/mutation/mutation-engine-error.ts';
import { PutParseError } from '../../src/execution/mutation/put-parse-error.ts';
import { ToolchainMissingError } from '../../src/execution/toolchain-missing-error.ts';
import { ModelConfigError } from '../../src/models/model-config-error.ts';
import { ModelConnectionError } from '../../src/models/model-connection-error.ts';
import { ModelHttpError } from '../../src/models/model-http-error.ts';
import { ModelResponseError } from '../../src/models/model-response-error.ts';
import { ModelTimeoutError } from '../../src/models/model-timeout-error.ts';
import { RecordedSampleError } from '../../src/models/recorded/recorded-sample-error.ts';
import { RecordingFormatError } from '../../src/models/recorded/recording-format-error.ts';
import { DivergenceError } from '../../src/replay/divergence-error.ts';
import { ReplayedModelError } from '../../src/replay/replayed-model-error.ts';
import { EXIT_CODES } from '../../src/runtime/exit-status.ts';
import { PromptError } from '../../src/runtime/prompt-error.ts';
import { ResumeError } from '../../src/runtime/resume-error.ts';
import { RunCancelledError } from '../../src/runtime/run-cancelled-error.ts';
import { TaskError } from '../../src/runtime/task-error.ts';
import { ServiceMissingError } from '../../src/services/service-missing-error.ts';
import { ServicePortTakenError } from '../../src/services/service-port-taken-error.ts';
import { ServiceStartError } from '../../src/services/service-start-error.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { TrajectoryFormatError } from '../../src/trajectory/trajectory-format-error.ts';
import { WorkspaceError } from '../../src/workspace/workspace-error.ts';

const model = { provider: 'openai' as const, model: 'gpt-4.1-mini', attempts: 1, retryable: false };

/** One instance of every error class, with the code and exit status it must carry. */
const CASES: [label: string, error: Error, code: string, status: string, exitCode: number][] = [
  [
    'ConfigError',
    new ConfigError([
      {
        file: 'configs/base.yaml',
        line: 3,
        column: 5,
        keyPath: 'models.default.apiKey',
        message: 'missing',
        kind: 'missing',
      },
    ]),
    'CONFIG_INVALID',
    'invalid-input',
    2,
  ],
  ['TaskError', new TaskError('task.json', 'entryPoint', 'required'), 'TASK_INVALID', 'invalid-input', 2],
  ['UsageError', new UsageError('refinery replay', "Unknown option '--bogus'"), 'USAGE_INVALID', 'invalid-input', 2],
  [
    'PromptError',
    new PromptError('agents/x/user.md', 'no value for placeholder {{task}}', 4),
    'PROMPT_INVALID',
    'invalid-input',
    2,
  ],
  [
    'TrajectoryFormatError',
    new TrajectoryFormatError('run.jsonl', 2, 'not JSON'),
    'TRAJECTORY_FORMAT',
    'invalid-input',
    2,
  ],
  [
    'RecordingFormatError',
    new RecordingFormatError('samples.jsonl', 7, 'key', 'expected a string'),
    'RECORDING_FORMAT',
    'invalid-input',
    2,
  ],
  [
    'ModelConfigError',
    new ModelConfigError('no API key', 'openai', 'gpt-4.1-mini', 'models.default.apiKey'),
    'MODEL_CONFIG',
    'invalid-input',
    2,
  ],
  [
    'RecordedSampleError',
    new RecordedSampleError({
      reason: 'unknown-key',
      source: 's.jsonl',
      agent: 'coder',
      key: 'HumanEval/0',
      requested: 1,
      available: 0,
      consumed: 0,
    }),
    'RECORDED_SAMPLE',
    'error',
    3,
  ],
  ['ModelHttpError', new ModelHttpError('HTTP 500', { ...model, status: 500 }), 'MODEL_HTTP', 'error', 3],
  [
    'ModelConnectionError',
    new ModelConnectionError('refused', { ...model, baseUrl: 'http://127.0.0.1:1' }),
    'MODEL_CONNECTION',
    'error',
    3,
  ],
  [
    'ModelResponseError',
    new ModelResponseError('not JSON', { ...model, problem: 'malformed-json' }),
    'MODEL_RESPONSE',
    'error',
    3,
  ],
  [
    'ModelTimeoutError',
    new ModelTimeoutError('slow', { ...model, phase: 'response', timeoutMs: 1000 }),
    'MODEL_TIMEOUT',
    'error',
    3,
  ],
  ['ReplayedModelError', new ReplayedModelError('ModelHttpError', 'HTTP 500'), 'MODEL_REPLAYED', 'error', 3],
  ['EditParseError', new EditParseError(3, 'unterminated block'), 'EDIT_PARSE', 'error', 3],
  ['WorkspaceError', new WorkspaceError('git commit', '/tmp/x', 'failed'), 'WORKSPACE', 'error', 3],
  [
    'TestCompileCheckError',
    new TestCompileCheckError('python3', 'exited with code 1'),
    'TEST_COMPILE_CHECK',
    'error',
    3,
  ],
  ['DivergenceError', new DivergenceError('model', 2, 'coder', '-a\n+b'), 'REPLAY_DIVERGED', 'diverged', 20],
  ['BudgetExhaustedError', new BudgetExhaustedError('tokens', 210, 200), 'BUDGET_EXHAUSTED', 'exhausted:tokens', 11],
  ['RunCancelledError', new RunCancelledError('interrupted (SIGINT)'), 'RUN_CANCELLED', 'cancelled', 130],
  ['ToolchainMissingError', new ToolchainMissingError('rust', 'cargo', 'not found'), 'TOOLCHAIN_MISSING', 'error', 3],
  [
    'InvalidExecutionRequestError',
    new InvalidExecutionRequestError('language', "unknown 'cobol'"),
    'EXECUTION_REQUEST_INVALID',
    'invalid-input',
    2,
  ],
  ['BatchWorkerError', new BatchWorkerError('python3', 'died at start'), 'BATCH_WORKER', 'error', 3],
  ['MutationEngineError', new MutationEngineError('python3', 'exited with code 1'), 'MUTATION_ENGINE', 'error', 3],
  ['PutParseError', new PutParseError('SyntaxError: invalid syntax', 3, 7), 'PUT_PARSE', 'invalid-input', 2],
  ['ResumeError', new ResumeError('runs/x.jsonl', 'the run has finished'), 'RESUME_REFUSED', 'invalid-input', 2],
  [
    'ServiceMissingError',
    new ServiceMissingError('redis', 'redis-server', 'redis-server', 'on PATH'),
    'SERVICE_MISSING',
    'invalid-input',
    2,
  ],
  [
    'ServicePortTakenError',
    new ServicePortTakenError('redis', 6379, '--redis-port'),
    'SERVICE_PORT_TAKEN',
    'invalid-input',
    2,
  ],
  ['ServiceStartError', new ServiceStartError('postgres', '/tmp/pg', 'exited'), 'SERVICE_START', 'error', 3],
  [
    'StoreError (bad --store)',
    new StoreError('ftp://x', 'not a store', 'invalid-input'),
    'STORE_UNAVAILABLE',
    'invalid-input',
    2,
  ],
  ['StoreError', new StoreError('postgres://h/db', 'unreachable'), 'STORE_UNAVAILABLE', 'error', 3],
];

describe('every error class extends RefineryError and maps to its exit status by class', () => {
  it('no error class in src/, graphs/ or agents/ extends Error directly, and each one is listed here', () => {
    const root = resolve(import.meta.dirname, '../..');
    const files = execFileSync('git', ['ls-files', 'src', 'graphs', 'agents'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    const declared = files.flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/export (?:abstract )?class (\w+Error) extends (\w+)/g)].map(
        (m) => [m[1]!, m[2]!] as const,
      ),
    );
    expect(
      declared.filter(([name, base]) => base === 'Error' && name !== 'RefineryError').map(([name]) => name),
    ).toEqual([]);
    const listed = new Set(CASES.map(([label]) => label));
    const abstract = new Set(['RefineryError', 'ModelError']);
    expect(declared.map(([name]) => name).filter((name) => !listed.has(name) && !abstract.has(name))).toEqual([]);
  });

  it.each(CASES)('%s', (label, error, code, status, exitCode) => {
    expect(error).toBeInstanceOf(RefineryError);
    expect(RefineryError.isInstance(error)).toBe(true);
    expect(RefineryError.isInstance(error, code)).toBe(true);
    expect(error.name).toBe(label === 'ReplayedModelError' ? 'ModelHttpError' : label.replace(/ \(.*\)$/, ''));
    expect((error as RefineryError).code).toBe(code);
    expect(classifyError(error)).toEqual({ status, exitCode });
    expect(EXIT_CODES[classifyError(error).status]).toBe(exitCode);
  });

  it('keeps the existing messages and structured fields', () => {
    const task = new TaskError('task.json', 'entryPoint', 'required');
    expect(task.message).toBe('task.json: entryPoint: required');
    expect(task).toMatchObject({ file: 'task.json', keyPath: 'entryPoint', detail: 'required' });
    const budget = new BudgetExhaustedError('cost', 1.2, 1);
    expect(budget.message).toBe("budget 'cost' exhausted: used 1.2 of 1");
    expect(budget).toMatchObject({ budget: 'cost', used: 1.2, limit: 1 });
    const http = new ModelHttpError('HTTP 429', { ...model, status: 429, retryable: true, serverMessage: 'slow down' });
    expect(http).toMatchObject({ status: 429, retryable: true, serverMessage: 'slow down', exitStatus: 'error' });
  });

  it('maps each budget to its own exhausted status and exit code', () => {
    const budgets: BudgetName[] = ['iterations', 'tokens', 'cost', 'time', 'calls'];
    for (const budget of budgets) {
      expect(classifyError(new BudgetExhaustedError(budget, 2, 1))).toEqual({
        status: `exhausted:${budget}`,
        exitCode: EXIT_CODES[`exhausted:${budget}`],
      });
    }
  });

  it('maps anything else to error (exit 3), including look-alikes without the marker', () => {
    for (const value of [new Error('boom'), new TypeError('x'), 'a string', null, undefined, 42]) {
      expect(classifyError(value)).toEqual({ status: 'error', exitCode: 3 });
    }
    const lookAlike = Object.assign(new Error('bad'), {
      code: 'TASK_INVALID',
      exitStatus: 'invalid-input',
      exitCode: 2,
    });
    expect(RefineryError.isInstance(lookAlike)).toBe(false);
    expect(classifyError(lookAlike).status).toBe('error');
  });
});

describe('RefineryError.isInstance across module copies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refinery-error-copy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recognizes an error from a second loaded copy of the base, where instanceof does not', async () => {
    const copyPath = join(dir, 'refinery-error.ts');
    copyFileSync(resolve(import.meta.dirname, '../../src/errors/refinery-error.ts'), copyPath);
    const copy = (await import(pathToFileURL(copyPath).href)) as typeof import('../../src/errors/refinery-error.ts');
    expect(copy.RefineryError).not.toBe(RefineryError);

    class ForeignTaskError extends copy.RefineryError {
      readonly code = 'TASK_INVALID';
      readonly exitStatus = 'invalid-input';
    }
    const foreign = new ForeignTaskError('task.json: entryPoint: required');
    expect(foreign instanceof RefineryError).toBe(false);
    expect(RefineryError.isInstance(foreign)).toBe(true);
    expect(RefineryError.isInstance(foreign, 'TASK_INVALID')).toBe(true);
    expect(RefineryError.isInstance(foreign, 'CONFIG_INVALID')).toBe(false);
    expect(classifyError(foreign)).toEqual({ status: 'invalid-input', exitCode: 2 });
    // And the other way round: the copy recognizes this copy's errors.
    expect(copy.RefineryError.isInstance(new TaskError('t.json', '', 'bad'))).toBe(true);
  });
});

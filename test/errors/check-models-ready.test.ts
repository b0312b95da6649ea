import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';
import { classifyError } from '../../src/errors/classify-error.ts';
import type { ModelClient } from '../../src/models/model-types.ts';
import { checkModelsReady } from '../../src/runtime/check-models-ready.ts';

const dir = mkdtempSync(join(tmpdir(), 'refinery-models-ready-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

const BASE = [
  'models:',
  '  default:',
  '    provider: openai',
  '    name: gpt-4.1-mini',
  '    apiKey: ${OPENAI_API_KEY:-}',
  '  unused:',
  '    provider: anthropic',
  '    name: claude-x',
  '',
].join('\n');
writeFileSync(join(dir, 'base.yaml'), BASE);

/** Writes `top.yaml` (extending base.yaml) with the given extra lines, loads it and runs the check. */
async function check(
  top: string,
  opts: { set?: string[]; overridden?: Record<string, ModelClient> } = {},
): Promise<unknown> {
  const file = join(dir, 'top.yaml');
  writeFileSync(file, `extends: base.yaml\ngraph: g\n${top}`);
  const env = { ...process.env };
  const loaded = await loadPipelineConfig(file, { env, set: opts.set ?? [], baseDir: dir, checkPromptFiles: false });
  return checkModelsReady({
    config: loaded.config,
    configPath: file,
    cwd: dir,
    baseDir: dir,
    set: opts.set,
    env,
    overridden: opts.overridden,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const agents = (model: string, ...names: string[]) =>
  `agents:\n${names.map((n) => `  ${n}: { model: ${model} }\n`).join('')}`;

describe('checkModelsReady: a live run knows before its first node that a model cannot make a call', () => {
  it('names the file, line:column and key of a missing OpenAI key, and the agents that need it', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const error = await check(agents('default', 'planner', 'coder'));
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues[0]!;
    expect(issue).toMatchObject({
      file: expect.stringMatching(/base\.yaml$/),
      line: 5,
      keyPath: 'models.default.apiKey',
    });
    expect(issue.message).toMatch(/no API key.*OPENAI_API_KEY.*used by agents planner, coder/);
    expect((error as ConfigError).issues).toHaveLength(1); // `unused` has no key either, but no agent uses it
    expect(classifyError(error)).toEqual({ status: 'invalid-input', exitCode: 2 });
  });

  it('passes when the key comes from the environment, or when the caller supplies the client', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test-not-a-real-key');
    expect(await check(agents('default', 'coder'))).toBeUndefined();
    vi.stubEnv('OPENAI_API_KEY', '');
    const scripted: ModelClient = { call: () => Promise.reject(new Error('not called')) };
    expect(await check(agents('default', 'coder'), { overridden: { default: scripted } })).toBeUndefined();
  });

  it('names the --set flag when the problem was written by one', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const error = await check(agents('unused', 'critic'), { set: ['models.unused.apiKey='] });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatchObject({
      file: '--set models.unused.apiKey=',
      keyPath: 'models.unused.apiKey',
    });
    expect((error as ConfigError).message).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('accepts an openai-compatible server on 127.0.0.1 without a key, and asks for its base URL when missing', async () => {
    const local = (baseUrl: string) =>
      `models:\n  local:\n    provider: openai-compatible\n    name: qwen\n${baseUrl}${agents('local', 'coder')}`;
    expect(await check(local('    baseUrl: http://127.0.0.1:9/v1\n'))).toBeUndefined();
    const error = await check(local(''));
    expect((error as ConfigError).issues[0]).toMatchObject({ keyPath: 'models.local.baseUrl', line: 4 });
    expect((error as ConfigError).message).toMatch(/needs a base URL/);
  });

  it('checks that a recorded model has its recording files', async () => {
    writeFileSync(join(dir, 'samples.jsonl'), '{"key": "t1", "samples": ["x"]}\n');
    const recorded = (recording: string) =>
      `models:\n  replayed:\n    provider: recorded\n    name: codegen\n    recording: ${recording}\n${agents('replayed', 'coder')}`;
    expect(await check(recorded('samples.jsonl'))).toBeUndefined();
    const error = await check(recorded('samples.jsonl?joinPromptsWith=no-such-tasks.jsonl'));
    expect((error as ConfigError).issues).toHaveLength(1);
    expect((error as ConfigError).issues[0]).toMatchObject({ keyPath: 'models.replayed.recording', line: 7 });
    expect((error as ConfigError).message).toMatch(/recording file not found: .*no-such-tasks\.jsonl/);
  });
});

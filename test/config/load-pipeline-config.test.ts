import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.ts';

const VALID = 'fixtures/configs/valid';
const KEY = 'sk-test-0123456789abcdef';
const env = { REFINERY_TEST_OPENAI_KEY: KEY };

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('extends', () => {
  it('deep-merges mappings, replaces lists, drops keys set to null, and removes extends', async () => {
    const { config, sources } = await loadPipelineConfig(`${VALID}/child.yaml`, { env });
    const model = config.models['default']!;
    expect(model.name).toBe('gpt-4.1-mini'); // inherited
    expect(model.params.temperature).toBe(0.7); // overridden
    expect(model.params.stop).toEqual(['###']); // list replaced, not concatenated
    expect(Object.keys(config.models)).toEqual(['default', 'cheap']);
    expect(Object.keys(config.agents).sort()).toEqual(['coder', 'critic']);
    expect(config.execution.timeoutSec).toBe(20);
    expect(config.execution.memoryMb).toBe(2048);
    expect(config.execution).not.toHaveProperty('cpuSec'); // `cpuSec: null` removed the inherited limit
    expect(config.budgets).toEqual({ iterations: 5, tokens: 200000, costUsd: 1.5 });
    expect(config.description).toBe('child overrides');
    expect(config).not.toHaveProperty('extends');
    expect(sources.files.map((f) => path.basename(f))).toEqual(['base.yaml', 'child.yaml']);
  });

  it('applies a list of bases in order, later bases and the file itself winning', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'refinery-config-'));
    try {
      await writeFile(
        path.join(dir, 'a.yaml'),
        'graph: a\nmodels: {m: {provider: openai, name: from-a}}\nbudgets: {iterations: 1, tokens: 10}\n',
      );
      await writeFile(path.join(dir, 'b.yaml'), 'graph: b\nbudgets: {iterations: 2}\n');
      await writeFile(path.join(dir, 'top.yaml'), 'extends: [a.yaml, b.yaml]\ngraph: top\n');
      const { config } = await loadPipelineConfig(path.join(dir, 'top.yaml'), { env: {}, baseDir: dir });
      expect(config.graph).toBe('top');
      expect(config.budgets).toEqual({ iterations: 2, tokens: 10 });
      expect(config.models['m']!.name).toBe('from-a');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('YAML features', () => {
  it('resolves anchors, aliases and << merge keys, and positions errors inside merged blocks', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'refinery-config-'));
    try {
      const file = path.join(dir, 'anchors.yaml');
      await writeFile(
        file,
        'graph: g\nmodels:\n  a: &shared\n    provider: openai\n    name: a\n    timeoutSec: 30\n  b:\n    <<: *shared\n    name: b\n',
      );
      const { config } = await loadPipelineConfig(file, { env: {}, baseDir: dir });
      expect(config.models['b']).toMatchObject({ provider: 'openai', name: 'b', timeoutSec: 30 });
      await writeFile(
        file,
        'graph: g\nmodels:\n  a: &shared\n    provider: openai\n    name: a\n  b:\n    <<: *shared\n    stream: "no"\n',
      );
      const error = await failure(loadPipelineConfig(file, { env: {}, baseDir: dir }));
      expect(error.issues.map((i) => [i.line, i.column, i.keyPath])).toEqual([[8, 13, 'models.b.stream']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--set', () => {
  it('parses values as YAML: numbers, lists, booleans, quoted strings, mappings', async () => {
    const { config } = await loadPipelineConfig(`${VALID}/minimal.yaml`, {
      env: {},
      set: [
        'budgets.iterations=3',
        'models.default.params.stop=["x", "y"]',
        'models.default.stream=true',
        "description='42'",
        'pricing."gpt-4.1".inputPerMTok=2.5',
        'pricing."gpt-4.1".outputPerMTok=8',
        'models.local={provider: openai-compatible, name: qwen, baseUrl: "http://127.0.0.1:8000/v1"}',
      ],
    });
    expect(config.budgets.iterations).toBe(3);
    expect(config.models['default']!.params.stop).toEqual(['x', 'y']);
    expect(config.models['default']!.stream).toBe(true);
    expect(config.description).toBe('42');
    expect(config.pricing['gpt-4.1']).toEqual({ inputPerMTok: 2.5, outputPerMTok: 8 });
    expect(config.models['local']!.baseUrl).toBe('http://127.0.0.1:8000/v1');
  });

  it('applies flags in order after extends, and null removes a key so its default applies', async () => {
    const { config, sources } = await loadPipelineConfig(`${VALID}/child.yaml`, {
      env,
      set: ['execution.memoryMb=null', 'budgets.iterations=7', 'budgets.iterations=9'],
    });
    expect(config.execution.memoryMb).toBe(4096); // base said 2048; the flag removed it
    expect(config.budgets.iterations).toBe(9);
    expect(sources.set).toEqual([
      '--set execution.memoryMb=null',
      '--set budgets.iterations=7',
      '--set budgets.iterations=9',
    ]);
  });

  it('reports a bad flag together with problems in the file', async () => {
    const error = await failure(
      loadPipelineConfig(`${VALID}/minimal.yaml`, { env: {}, set: ['budgets.iterations=-2', 'nonsense'] }),
    );
    expect(error.issues.map((i) => [i.file, i.kind])).toEqual([
      ['--set budgets.iterations=-2', 'value'],
      ['--set nonsense', 'set'],
    ]);
  });
});

describe('${VAR} interpolation', () => {
  it('expands variables and defaults, collects env values as secrets, and redacts them', async () => {
    const loaded = await loadPipelineConfig(`${VALID}/child.yaml`, { env });
    expect(loaded.config.models['default']!.apiKey).toBe(KEY);
    expect(loaded.config.models['cheap']!.baseUrl).toBe('http://127.0.0.1:8000/v1'); // from the :- default
    expect(loaded.secrets).toEqual([KEY]);
    expect(loaded.redacted.models['default']!.apiKey).toBe('${REFINERY_TEST_OPENAI_KEY}');
    expect(JSON.stringify(loaded.redacted)).not.toContain(KEY);
    // Everything that is not a secret is the same in both.
    expect({ ...loaded.redacted, models: {} }).toEqual({ ...loaded.config, models: {} });
  });

  it('uses the environment over the default when the variable is set', async () => {
    const url = 'http://10.0.0.7:9000/v1';
    const loaded = await loadPipelineConfig(`${VALID}/child.yaml`, { env: { ...env, REFINERY_TEST_BASE_URL: url } });
    expect(loaded.config.models['cheap']!.baseUrl).toBe(url);
    expect(loaded.secrets.sort()).toEqual([KEY, url].sort());
    expect(loaded.redacted.models['cheap']!.baseUrl).toBe('${REFINERY_TEST_BASE_URL:-http://127.0.0.1:8000/v1}');
  });

  it('reports an unset variable only where its value survives merging', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'refinery-config-'));
    try {
      await writeFile(
        path.join(dir, 'base.yaml'),
        'graph: g\nmodels:\n  m:\n    provider: openai\n    name: x\n    apiKey: ${REFINERY_TEST_UNSET_A}\n  n:\n    provider: openai\n    name: ${REFINERY_TEST_UNSET_B}\n',
      );
      await writeFile(path.join(dir, 'top.yaml'), 'extends: base.yaml\nmodels:\n  m:\n    apiKey: literal-key\n');
      const error = await failure(loadPipelineConfig(path.join(dir, 'top.yaml'), { env: {}, baseDir: dir }));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ line: 9, column: 11, keyPath: 'models.n.name', kind: 'env' });
      expect(error.message).toContain('${REFINERY_TEST_UNSET_B}');
      expect(error.file.endsWith('base.yaml')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps $${...} as a literal ${...}', async () => {
    const { config, secrets } = await loadPipelineConfig(`${VALID}/minimal.yaml`, {
      env: { HOME_DIR: '/home/x' },
      set: ['description="cost: $${HOME_DIR} and ${HOME_DIR}"'],
    });
    expect(config.description).toBe('cost: ${HOME_DIR} and /home/x');
    expect(secrets).toEqual(['/home/x']);
  });
});

describe('paths and graph options', () => {
  it('resolves relative prompt paths against the project root and reports it as baseDir', async () => {
    const loaded = await loadPipelineConfig(`${VALID}/child.yaml`, { env });
    expect(loaded.baseDir).toBe(process.cwd());
    expect(loaded.path).toBe(path.resolve(`${VALID}/child.yaml`));
  });

  it("replaces options with the graph schema's parsed output (defaults applied)", async () => {
    const { z } = await import('zod');
    const schema = z
      .object({ maxRounds: z.number().int().default(3), critic: z.enum(['template', 'model']).default('template') })
      .strict();
    const { config } = await loadPipelineConfig(`${VALID}/child.yaml`, {
      env,
      knownGraphs: ['refine'],
      optionsSchemaFor: () => schema,
    });
    expect(config.options).toEqual({ maxRounds: 4, critic: 'template' });
  });
});

describe('ConfigError', () => {
  let error: ConfigError;
  beforeAll(async () => {
    error = await failure(loadPipelineConfig('fixtures/configs/malformed/several-issues.yaml', { env: {} }));
  });
  afterAll(() => undefined);

  it('mirrors its first issue in its own fields and lists all issues one per line', () => {
    expect(error.issues.length).toBe(4);
    expect({
      file: error.file,
      line: error.line,
      column: error.column,
      keyPath: error.keyPath,
      kind: error.kind,
    }).toEqual({
      file: 'fixtures/configs/malformed/several-issues.yaml',
      line: 5,
      column: 11,
      keyPath: 'models.default.name',
      kind: 'value',
    });
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.message.split('\n')[3]).toBe(
      'fixtures/configs/malformed/several-issues.yaml:9:23: budgets.iterations: too small: expected number to be >0',
    );
  });

  it('reports an unreadable top-level file without a position', async () => {
    const missing = await failure(loadPipelineConfig('fixtures/configs/valid/nope.yaml', { env: {} }));
    expect(missing.message).toBe('fixtures/configs/valid/nope.yaml: (root): cannot read config: file not found');
    expect(missing.kind).toBe('io');
  });
});

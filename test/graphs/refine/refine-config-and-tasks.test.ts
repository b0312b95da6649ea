import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refinePipeline } from '../../../graphs/refine/index.ts';
import { loadPipelineConfig } from '../../../src/config/load-pipeline-config.ts';
import { loadTaskFile, validateTask } from '../../../src/runtime/load-task.ts';
import { shippedPipelineChecks } from '../../support/shipped-refinery.ts';
import { REPO_ROOT } from './support/refine-runs.ts';

const loadRefineConfig = (set: string[] = []) =>
  loadPipelineConfig(resolve(REPO_ROOT, 'configs/refine.yaml'), {
    set,
    env: { PATH: process.env.PATH },
    ...shippedPipelineChecks,
  });

describe('configs/refine.yaml', () => {
  it('validates without OPENAI_API_KEY and inherits execution and budget defaults from base.yaml', async () => {
    const { config, baseDir } = await loadRefineConfig();
    expect(config.graph).toBe('refine');
    expect(config.budgets).toMatchObject({ iterations: 5, tokens: 200000, costUsd: 1, wallSeconds: 600 });
    expect(config.execution.timeoutSec).toBe(10);
    expect(baseDir).toBe(REPO_ROOT);
    expect(Object.keys(config.agents).sort()).toEqual(['coder', 'critic', 'planner', 'tester']);
    expect(refinePipeline.optionsSchema.parse(config.options)).toMatchObject({
      critic: 'template',
      testerTestsBlock: false,
    });
  });

  it('rejects an unknown option, naming it', async () => {
    await expect(loadRefineConfig(['options.critc=model'])).rejects.toThrow(/critc/);
  });
});

describe('fixtures/tasks', () => {
  const dir = resolve(REPO_ROOT, 'fixtures/tasks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('holds a few tasks, each valid against the refine task schema, with an id matching its file name', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const task = loadTaskFile(resolve(dir, file), refinePipeline.taskSchema);
      expect(`${task.id}.json`).toBe(file);
      expect(task.visibleTests.length).toBeGreaterThan(0);
    }
  });

  it('names the key of an invalid task', () => {
    const base = { id: 't', prompt: 'def f(x):\n    """x"""\n', entryPoint: 'f', visibleTests: ['assert f(1) == 1'] };
    expect(() => validateTask('t.json', { ...base, entryPoint: 'g' }, refinePipeline.taskSchema)).toThrow(
      't.json: prompt: the prompt must define `def g(` at column 0',
    );
    expect(() => validateTask('t.json', { ...base, visibleTests: ['f(1) == 1'] }, refinePipeline.taskSchema)).toThrow(
      't.json: visibleTests.0: each test must be an assert statement',
    );
    expect(() => validateTask('t.json', { ...base, tests: [] }, refinePipeline.taskSchema)).toThrow(/t\.json/);
  });
});

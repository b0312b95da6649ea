import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BestOfNResult } from '../../graphs/best-of-n/best-of-n-schemas.ts';
import { bestOfNPipeline } from '../../graphs/best-of-n/index.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { ExampleModelClient } from '../../src/testing/example-model-client.ts';
import { describePipelineConformance } from '../../src/testing/pipeline-conformance.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/adding-a-pipeline.md'), 'utf8');

/** `<!-- file: PATH -->` followed by a fenced block: the block's text, by path. */
function blocksOfDoc(): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of DOC.matchAll(/<!-- file: (\S+) -->\n(`{3,})[a-z]*\n([\s\S]*?)\n?\2\n/g))
    blocks.set(match[1]!, `${match[3]!}\n`);
  return blocks;
}

describe('docs/adding-a-pipeline.md walks through exactly the shipped example', () => {
  it('shows every file of the example folder, its config and the registry, each equal to the file', () => {
    const blocks = blocksOfDoc();
    expect([...blocks.keys()].sort()).toEqual([
      'configs/best-of-n.yaml',
      'graphs/best-of-n/best-of-n-example.ts',
      'graphs/best-of-n/best-of-n-graph.ts',
      'graphs/best-of-n/best-of-n-schemas.ts',
      'graphs/best-of-n/index.ts',
      'graphs/index.ts',
    ]);
    for (const [path, text] of blocks) expect(text, path).toBe(readFileSync(join(ROOT, path), 'utf8'));
  });

  it('the pipeline is one folder plus one registry line', () => {
    const registry = readFileSync(join(ROOT, 'graphs/index.ts'), 'utf8');
    expect(registry.split('\n').filter((line) => line.includes('bestOfNPipeline'))).toEqual([
      "import { bestOfNPipeline } from './best-of-n/index.ts';",
      '  bestOfNPipeline,',
    ]);
  });

  it('a Refinery built from just this pipeline validates its config and runs its example to the pick', async () => {
    const refinery = createRefinery({ pipelines: [bestOfNPipeline] });
    expect(refinery.pipelines.names()).toEqual(['best-of-n']);
    const inputs = await bestOfNPipeline.example!.prepare(mkdtempSync(join(tmpdir(), 'best-of-n-')));
    const loaded = await refinery.loadConfig(join(ROOT, inputs.config), { set: inputs.set ?? [], env: {} });
    expect(loaded.config.options).toEqual({ samples: 2, testTimeoutSec: 2 });
    const run = await refinery.run({
      configPath: join(ROOT, inputs.config),
      set: inputs.set ?? [],
      env: {},
      task: inputs.task,
      models: { default: new ExampleModelClient(inputs.replies) },
      trajectoryPath: null,
      cwd: ROOT,
    });
    const result = run.result as BestOfNResult;
    expect(run.status).toBe('passed');
    expect(result.candidates.map(({ index, passed, total }) => ({ index, passed, total }))).toEqual([
      { index: 1, passed: 1, total: 4 },
      { index: 2, passed: 4, total: 4 },
    ]);
    expect(result.pick?.index).toBe(2);
    expect(run.summary).toBe('running-max: sample 2 passes every visible test');
  });
});

// The record/replay and budget-stop tests this pipeline gets for free, as a library user's would.
describePipelineConformance(createRefinery({ pipelines: [bestOfNPipeline] }), { projectRoot: ROOT });

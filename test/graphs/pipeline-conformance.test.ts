import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { shippedPipelines } from '../../graphs/index.ts';
import { closeSharedPythonWorkerPool } from '../../src/execution/batch/index.ts';
import { createRefinery } from '../../src/runtime/create-refinery.ts';
import { describePipelineConformance } from '../../src/testing/pipeline-conformance.ts';

afterAll(async () => {
  await closeSharedPythonWorkerPool();
});

// Every shipped pipeline, from the registry: a new pipeline gets these tests by its registry line.
describePipelineConformance(createRefinery({ pipelines: shippedPipelines }), {
  projectRoot: fileURLToPath(new URL('../../', import.meta.url)),
  // A replayed repo run works on its own branch and worktree, and says whether its commit trees match.
  volatileResultKeys: { repo: ['branch', 'worktree', 'treesMatchRecording'] },
});

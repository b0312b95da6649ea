import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadC2RustTaskFolder } from '../../src/datasets/load-c2rust-tasks.ts';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';

/** The CodeNet task the example translates: three functions (createNode ← addNodeToList ← main), a struct, two globals. */
export const EXAMPLE_TASK_DIR = '../shared/datasets/c2rust/codenet/s194089613';

/**
 * CodeNet s194089613 through the whole graph with scripted coder replies (fixtures/c2rust/s194089613-replies.json,
 * written by hand): unit 1 (createNode) builds; unit 2 (addNodeToList) first fails to build (a type error), then is
 * repaired; unit 3 (main) builds but walks the input forwards and gives wrong counts; the test repair fixes main,
 * and all ten recorded tests pass.
 */
export const c2rustExample: PipelineExample = {
  prepare: () => {
    const folder = loadC2RustTaskFolder(resolve(PACKAGE_ROOT, EXAMPLE_TASK_DIR));
    const replies = JSON.parse(
      readFileSync(resolve(PACKAGE_ROOT, 'fixtures/c2rust/s194089613-replies.json'), 'utf8'),
    ) as string[];
    return {
      config: 'configs/c2rust.yaml',
      // Results and binaries in one cache under the system's temporary directory, shared by every run of the
      // example (the replay, the budget stop, the next test run hit it); nothing is written to the checkout.
      set: [`execution.cacheDir=${join(tmpdir(), 'refinery-c2rust-example-cache')}`],
      task: { id: folder.id, files: folder.files, tests: folder.tests, comparison: folder.comparison },
      replies: { coder: replies },
    };
  },
};

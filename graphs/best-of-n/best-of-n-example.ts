import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';
import { recordedReplies } from '../../src/trajectory/recorded-replies.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

/** The running-max task; the two coder replies of the shipped refine trajectory are the two samples. */
export const bestOfNExample: PipelineExample = {
  prepare: () => ({
    config: 'configs/best-of-n.yaml',
    set: ['options.samples=2'],
    task: JSON.parse(readFileSync(`${PACKAGE_ROOT}/fixtures/tasks/running-max.json`, 'utf8')),
    replies: {
      coder:
        recordedReplies(readTrajectory(`${PACKAGE_ROOT}/fixtures/trajectories/refine-running-max.jsonl`)).coder ?? [],
    },
  }),
};

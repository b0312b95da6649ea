import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';
import { recordedReplies } from '../../src/trajectory/recorded-replies.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

/** The running-max task, answered with the replies of the shipped trajectory (an off-by-one, then the fix). */
export const refineExample: PipelineExample = {
  prepare: () => ({
    config: 'configs/refine.yaml',
    task: JSON.parse(readFileSync(`${PACKAGE_ROOT}/fixtures/tasks/running-max.json`, 'utf8')),
    replies: recordedReplies(readTrajectory(`${PACKAGE_ROOT}/fixtures/trajectories/refine-running-max.jsonl`)),
  }),
};

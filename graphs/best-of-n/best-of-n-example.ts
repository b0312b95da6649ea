import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';
import { recordedReplies } from '../../src/trajectory/recorded-replies.ts';
import { readTrajectory } from '../../src/trajectory/trajectory-reader.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The running-max task; the two coder replies of the shipped refine trajectory are the two samples. */
export const bestOfNExample: PipelineExample = {
  prepare: () => ({
    config: 'configs/best-of-n.yaml',
    set: ['options.samples=2'],
    task: JSON.parse(readFileSync(`${ROOT}fixtures/tasks/running-max.json`, 'utf8')),
    replies: { coder: recordedReplies(readTrajectory(`${ROOT}fixtures/trajectories/refine-running-max.jsonl`)).coder ?? [] },
  }),
};

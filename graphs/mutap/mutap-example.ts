import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../src/runtime/package-root.ts';
import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';

const FIXTURES = `${PACKAGE_ROOT}/fixtures/mutap/`;

/**
 * A hand-written PUT (`clamp`) with four mutants, and two tester replies: the initial test (one wrong oracle, one
 * line cut off) and one augmentation reply for the mutant the IUT misses. Every stage runs: truncation, the oracle
 * fix, scoring, one augmentation round, the merge, the AUT's score and the minimisation.
 */
export const mutapExample: PipelineExample = {
  prepare: () => ({
    config: 'configs/mutap.yaml',
    task: JSON.parse(readFileSync(`${FIXTURES}clamp-task.json`, 'utf8')),
    replies: { tester: JSON.parse(readFileSync(`${FIXTURES}clamp-replies.json`, 'utf8')).tester },
  }),
};
